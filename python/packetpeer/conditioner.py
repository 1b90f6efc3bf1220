"""The network conditioner's options and counters (``pp_conditioner_options``,
``pp_conditioner_stats``).

A seeded, deterministic conditioner between a socket and the network: loss, duplication and
reordering probabilities, delay with jitter and a bandwidth cap, each way. Set it with
``set_conditioner(options)`` on a ``PacketPeerUDP``, an ``ENetConnection`` (its socket), a
``PacketPeerDTLS``, a ``DTLSServer`` (every peer it hands out from then on, the n-th seeded
``seed + n``) or a ``WebRTCPeerConnection`` (its UDP sockets); ``set_conditioner(None)`` removes it;
``get_conditioner_stats()`` says what it did. Held datagrams move during the object's own calls
(get/put packet, ``service``, ``poll``), so keep calling them.

    opts = pp.ConditionerOptions(seed=7, outgoing=pp.ConditionerDirection(loss=0.05, delay_ms=150))
    udp.set_conditioner(opts)

The defaults are those of ``pp_conditioner_options_init`` (nothing dropped or delayed, seed 0,
4096 datagrams held per direction at most). Numbers that do not fit the C field raise
``RangeError``; values the library refuses (a probability outside 0..1 or NaN, a delay or jitter
over 60 000 ms, ``max_queued`` outside 1..1 048 576) raise ``Error`` ``ERR_INVALID_PARAMETER``.
"""

from collections import namedtuple
from ctypes import byref
from dataclasses import dataclass, field

from . import _capi as C
from .errors import check, check_int

__all__ = ["ConditionerDirection", "ConditionerOptions", "ConditionerDirectionStats",
           "ConditionerStats"]

_U32 = (1 << 32) - 1
_U64 = (1 << 64) - 1


def _c_defaults():
    o = C.ConditionerOptions()
    check(C.pp_conditioner_options_init(byref(o)), "pp_conditioner_options_init")
    return o


_DEFAULTS = _c_defaults()


@dataclass
class ConditionerDirection:
    """What the conditioner does to datagrams going one way (``pp_conditioner_direction``).

    - ``loss``, ``duplicate``, ``reorder``: probabilities in 0.0..1.0 (``reorder``: held 20 ms
      longer than its delay, so later datagrams overtake it).
    - ``delay_ms``, ``jitter_ms``: delay and its variation either way, at most 60 000 ms each.
    - ``bandwidth``: bytes per second the link carries; 0 = unlimited.
    """
    loss: float = _DEFAULTS.outgoing.loss
    duplicate: float = _DEFAULTS.outgoing.duplicate
    reorder: float = _DEFAULTS.outgoing.reorder
    delay_ms: int = _DEFAULTS.outgoing.delay_ms
    jitter_ms: int = _DEFAULTS.outgoing.jitter_ms
    bandwidth: int = _DEFAULTS.outgoing.bandwidth

    def _fill(self, c, what):
        for name in ("loss", "duplicate", "reorder"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{what}.{name} must be a float, not {type(value).__name__}")
            setattr(c, name, float(value))
        c.delay_ms = check_int(self.delay_ms, 0, _U32, f"{what}.delay_ms")
        c.jitter_ms = check_int(self.jitter_ms, 0, _U32, f"{what}.jitter_ms")
        c.bandwidth = check_int(self.bandwidth, 0, _U64, f"{what}.bandwidth")


@dataclass
class ConditionerOptions:
    """Options of a network conditioner (``pp_conditioner_options``): ``seed`` (one seed, one
    fate for the n-th datagram each way), ``outgoing`` and ``incoming`` (``ConditionerDirection``:
    what the socket sends and what it receives), ``max_queued`` (datagrams held per direction at
    most, 1..1 048 576; more are dropped and counted)."""
    seed: int = _DEFAULTS.seed
    outgoing: ConditionerDirection = field(default_factory=ConditionerDirection)
    incoming: ConditionerDirection = field(default_factory=ConditionerDirection)
    max_queued: int = _DEFAULTS.max_queued

    def to_c(self):
        """The ``pp_conditioner_options`` struct (``size`` and unset fields from
        ``pp_conditioner_options_init``)."""
        c = _c_defaults()
        c.seed = check_int(self.seed, 0, _U64, "seed")
        for name in ("outgoing", "incoming"):
            d = getattr(self, name)
            if not isinstance(d, ConditionerDirection):
                raise TypeError(f"{name} must be a ConditionerDirection, not {type(d).__name__}")
            d._fill(getattr(c, name), name)
        c.max_queued = check_int(self.max_queued, 0, _U32, "max_queued")
        return c


ConditionerDirectionStats = namedtuple("ConditionerDirectionStats",
                                       C.CONDITIONER_DIRECTION_STATS_FIELDS)
ConditionerDirectionStats.__doc__ = (
    "What the conditioner did to datagrams going one way (``pp_conditioner_direction_stats``): "
    "offered (and bytes_offered), released (duplicates included), dropped_loss, dropped_overflow "
    "(``max_queued`` reached), duplicated, reordered, send_failed (refused by the socket; "
    "outgoing only), queued (held now). Counters only grow, except queued.")
ConditionerStats = namedtuple("ConditionerStats", "outgoing incoming")
ConditionerStats.__doc__ = "What the conditioner did, both ways (``ConditionerDirectionStats`` each)."


def options_arg(options):
    """The ``const pp_conditioner_options *`` argument for ``options`` (None: NULL, removes it)."""
    if options is None:
        return None
    if not isinstance(options, ConditionerOptions):
        raise TypeError(f"options must be a ConditionerOptions or None, not {type(options).__name__}")
    return byref(options.to_c())


def set_on(fn, call, handle, options):
    check(fn(handle, options_arg(options)), call)


def stats_of(fn, call, handle):
    """Calls a ``*_get_conditioner_stats`` function and returns a ``ConditionerStats``
    (``Error`` ``ERR_UNCONFIGURED`` when no conditioner is set)."""
    s = C.ConditionerStats()
    check(fn(handle, byref(s)), call)

    def side(d):
        return ConditionerDirectionStats(*(getattr(d, n) for n in C.CONDITIONER_DIRECTION_STATS_FIELDS))
    return ConditionerStats(side(s.outgoing), side(s.incoming))
