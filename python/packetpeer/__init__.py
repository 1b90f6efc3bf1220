"""packetpeer: Redot/Godot 4's PacketPeer family and binary Variant format, from Python.

A binding of the C library libpacketpeer over its C ABI (ctypes). Godot's classes keep their names
and methods (``PacketPeerUDP().bind(0, "127.0.0.1")``); Variants are Python values (see
``packetpeer.types``); every failure raises ``packetpeer.Error`` with Godot's error code.

    import packetpeer as pp
    data = pp.var_to_bytes({"hp": 10, "pos": pp.Vector2(1, 2)})
    assert pp.bytes_to_var(data) == {"hp": 10, "pos": pp.Vector2(1.0, 2.0)}
"""

from . import _capi
from .conditioner import *  # noqa: F401,F403
from .conditioner import __all__ as _conditioner_all
from .errors import Err, Error, RangeError
from .peers import *  # noqa: F401,F403
from .peers import __all__ as _peers_all
from .tls import *  # noqa: F401,F403
from .tls import __all__ as _tls_all
from .types import *  # noqa: F401,F403
from .types import __all__ as _types_all
from .webrtc import *  # noqa: F401,F403
from .webrtc import __all__ as _webrtc_all
from .webrtc_extension import *  # noqa: F401,F403
from .webrtc_extension import __all__ as _webrtc_extension_all
from .variant import (DIALECT_GODOT3, DIALECT_GODOT4, DIALECT_REDOT_STRUCT, Codec, Variant, bytes_to_var,
                      var_to_bytes)

__version__ = "0.1.0"

#: Which libpacketpeer was loaded: ``"PACKETPEER_LIBRARY"``, ``"bundled"`` or ``"system"``, and its path.
library_origin = _capi.LIBRARY_ORIGIN
library_path = _capi.LIBRARY_PATH


def library_version():
    """The loaded library's version string (``"0.1.0"``)."""
    return _capi.pp_version_string().decode()


def error_name(code):
    """Godot's name of an error number (``"ERR_BUSY"``)."""
    return _capi.pp_error_name(int(code)).decode()


__all__ = (["Err", "Error", "RangeError", "Codec", "Variant", "bytes_to_var", "var_to_bytes",
            "DIALECT_GODOT3", "DIALECT_GODOT4", "DIALECT_REDOT_STRUCT", "library_version", "error_name"]
           + list(_peers_all) + list(_tls_all) + list(_types_all) + list(_webrtc_all)
           + list(_webrtc_extension_all) + list(_conditioner_all))
