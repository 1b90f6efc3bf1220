# Godot 3 engine side of tests/godot3_engine.rs (run by godot3-server, Godot 3.2.3):
#   godot3-server --no-window -s codec_corpus.gd -- <port_plain> <port_full> [ip]
# Our peer listens on <ip>:<port_plain> (values without full objects) and :<port_full> (with);
# ip defaults to 127.0.0.1.
#
# Phase 1, engine -> us -> engine: every corpus value goes out with put_var(v, full) over PacketPeerUDP;
# our peer decodes it in the godot3 dialect, re-encodes it and sends the bytes back. Here the bytes
# must equal var2bytes(v, full) and bytes2var(bytes, full) must equal v.
# Phase 2, us -> engine: after "__phase2__" our peer sends its own corpus (built independently in Rust,
# same order), one packet at a time, each acknowledged; here each must decode with bytes2var to the
# expected value and its bytes must equal the engine's encoding of that value.
#
# Equality is `==` except where Godot 3.2's `==` is not a value comparison: floats (NaN equals NaN
# here), Dictionaries (`==` compares references in 3.2, so keys and values are compared in order),
# and objects (class and storage properties; by-id objects by their id).
# Engine quirk: 3.2.3 leaves the padding after NodePath names unwritten (whatever the buffer held);
# those bytes are compared against nothing and counted (we write zeros, as Godot 4 does).
#
# Prints "FAIL ..." per mismatch (with the first differing byte), "NOTE ..." lines and finally
# "RESULT pass=<n> fail=<n> masked=<n>".
extends SceneTree

const TIMEOUT_MS = 5000
const OBJ_ID_REF = 1234567890123      # the ids our peer uses for objects sent by id in phase 2
const OBJ_ID_RES = 9007199254740993   # above 2^53: the u64 travels whole

var passes = 0
var fails = 0
var masked = 0


class IdRef:
	# Expectation for an object sent by id: decodes as an EncodedObjectAsID with this id.
	var id = 0

	func _init(i):
		id = i


func _args():
	var a = Array(OS.get_cmdline_args())
	var i = a.find("--")
	return a.slice(i + 1, a.size() - 1) if i >= 0 and i < a.size() - 1 else []


func _resource():
	var res = Resource.new()
	res.resource_name = "hé ✓"
	return res


# mode 0: live objects (phase 1 and phase 2 with full objects); mode 1: the by-id expectations
# of phase 2 without full objects.
func corpus(mode):
	# GDScript 3.2 folds the literal -0.0 to +0.0 outside constructor arguments: made at run time.
	var nz = 0.0
	nz = -nz
	var ref = Reference.new() if mode == 0 else IdRef.new(OBJ_ID_REF)
	var res = _resource() if mode == 0 else IdRef.new(OBJ_ID_RES)
	var c = []
	c.append(["nil", null])
	c.append(["true", true])
	c.append(["false", false])
	c.append(["int 0", 0])
	c.append(["int -1", -1])
	c.append(["int i32 max", 2147483647])
	c.append(["int i32 min", -2147483648])
	c.append(["int 2^31", 2147483648])
	c.append(["int -2^31-1", -2147483649])
	c.append(["int i64 max", 9223372036854775807])
	c.append(["int i64 min", -9223372036854775807 - 1])
	c.append(["float 0", 0.0])
	c.append(["float -0", nz])
	c.append(["float 1.5", 1.5])
	c.append(["float 0.1", 0.1])
	c.append(["float 1e300", 1e300])
	c.append(["float f32 max", pow(2, 127) * (2 - pow(2, -23))])  # the literal does not parse exactly
	c.append(["float 2^24+1", 16777217.0])
	c.append(["float inf", INF])
	c.append(["float -inf", -INF])
	c.append(["float nan", NAN])
	c.append(["string empty", ""])
	c.append(["string ascii", "abc"])
	c.append(["string latin", "héllo wörld"])
	c.append(["string cjk", "日本語のテキスト"])
	c.append(["string emoji", "🎮 game"])
	var long_s = ""
	for i in range(300):
		long_s += "x%d" % i
	c.append(["string long", long_s])
	c.append(["vector2", Vector2(1.5, -2.25)])
	c.append(["vector2 inf -0", Vector2(INF, -0.0)])
	c.append(["vector2 nan", Vector2(NAN, 1.0)])
	c.append(["rect2", Rect2(1, 2, 3, 4)])
	c.append(["vector3", Vector3(1, 2, 3)])
	c.append(["transform2d", Transform2D(Vector2(1, 2), Vector2(3, 4), Vector2(5, 6))])
	c.append(["plane", Plane(1, 2, 3, 4)])
	c.append(["quat", Quat(0.5, 0.25, 0.125, 0.75)])
	c.append(["aabb", AABB(Vector3(1, 2, 3), Vector3(4, 5, 6))])
	c.append(["basis", Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9))])
	c.append(["transform", Transform(Basis(Vector3(1, 2, 3), Vector3(4, 5, 6), Vector3(7, 8, 9)), Vector3(10, 11, 12))])
	c.append(["color", Color(0.1, 0.2, 0.3, 0.4)])
	c.append(["nodepath absolute", NodePath("/root/Main/Player:position:x")])
	c.append(["nodepath relative", NodePath("Player/Sprite")])
	c.append(["nodepath parent non-ascii", NodePath("../Nöde/子")])
	c.append(["nodepath subnames only", NodePath(":position:y")])
	c.append(["nodepath empty", NodePath("")])
	c.append(["rid", RID()])
	c.append(["object reference", ref])
	c.append(["object resource", res])
	c.append(["dictionary empty", {}])
	var d = {"a": 1, 2: "b", Vector2(1, 2): [1, {"x": null}], "f": nz}
	c.append(["dictionary mixed keys", d])
	c.append(["dictionary nested", {"outer": {"inner": {"deep": PoolByteArray([1, 2, 3])}}, "list": []}])
	c.append(["array empty", []])
	c.append(["array mixed", [1, "two", 3.5, [4, [5, [6, []]]], null, NodePath("a/b")]])
	c.append(["array with objects", [ref, {"res": res}, [res]]])
	var deep = []
	for i in range(64):
		deep = [deep, i]
	c.append(["array 64 deep", deep])
	c.append(["pool byte empty", PoolByteArray()])
	c.append(["pool byte", PoolByteArray([0, 1, 127, 128, 255])])
	c.append(["pool int empty", PoolIntArray()])
	c.append(["pool int", PoolIntArray([0, -1, 2147483647, -2147483648])])
	var big = PoolIntArray()
	for i in range(4000):
		big.append(i * 7919 - 1000000)
	c.append(["pool int 4000", big])
	c.append(["pool real empty", PoolRealArray()])
	c.append(["pool real", PoolRealArray([1.5, nz, INF, -INF, NAN, 0.1])])
	c.append(["pool string empty", PoolStringArray()])
	c.append(["pool string", PoolStringArray(["", "a", "é日🎮", "four"])])
	c.append(["pool vector2 empty", PoolVector2Array()])
	c.append(["pool vector2", PoolVector2Array([Vector2(1, 2), Vector2(-0.0, INF)])])
	c.append(["pool vector3 empty", PoolVector3Array()])
	c.append(["pool vector3", PoolVector3Array([Vector3(1, 2, 3), Vector3(-4, 5.5, 0)])])
	c.append(["pool color empty", PoolColorArray()])
	c.append(["pool color", PoolColorArray([Color(1, 0, 0, 1), Color(0.1, 0.2, 0.3, 0.4)])])
	return c


# ------------------------------------------------------------------------------- comparison

func _storage_props(o):
	var out = []
	for p in o.get_property_list():
		if p["usage"] & PROPERTY_USAGE_STORAGE:
			out.append([p["name"], o.get(p["name"])])
	return out


func same(a, b):
	if a is IdRef:
		return b is EncodedObjectAsID and b.get_object_id() == a.id
	if typeof(a) != typeof(b):
		return false
	match typeof(a):
		TYPE_REAL:
			return (is_nan(a) and is_nan(b)) or a == b
		TYPE_VECTOR2:
			return same(a.x, b.x) and same(a.y, b.y)
		TYPE_ARRAY, TYPE_REAL_ARRAY:
			if a.size() != b.size():
				return false
			for i in range(a.size()):
				if not same(a[i], b[i]):
					return false
			return true
		TYPE_DICTIONARY:
			if a.size() != b.size():
				return false
			var ka = a.keys()
			var kb = b.keys()
			for i in range(ka.size()):
				if not same(ka[i], kb[i]) or not same(a[ka[i]], b[kb[i]]):
					return false
			return true
		TYPE_OBJECT:
			if a == null or b == null:  # a null Object (the `script` property of a plain object)
				return a == null and b == null
			if a is EncodedObjectAsID or b is EncodedObjectAsID:
				var ia = a.get_object_id() if a is EncodedObjectAsID else a.get_instance_id()
				var ib = b.get_object_id() if b is EncodedObjectAsID else b.get_instance_id()
				return ia == ib
			if a.get_class() != b.get_class():
				return false
			return same(_storage_props(a), _storage_props(b))
	return a == b


func _has_idref(v):
	if v is IdRef:
		return true
	if typeof(v) == TYPE_ARRAY:
		for e in v:
			if _has_idref(e):
				return true
	if typeof(v) == TYPE_DICTIONARY:
		for k in v:
			if _has_idref(k) or _has_idref(v[k]):
				return true
	return false


func _u32(n):
	return PoolByteArray([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >> 24) & 0xff])


# The engine's encoding of v. Containers holding an IdRef are framed here (ARRAY 19 / DICTIONARY 18,
# count, elements), the IdRef as OBJECT by id (0x00010011 + u64); everything else is var2bytes.
func expected_bytes(v, full):
	if not _has_idref(v):
		return var2bytes(v, full)
	if v is IdRef:
		var b = _u32(0x00010011)
		b.append_array(_u32(v.id & 0xffffffff))
		b.append_array(_u32(v.id >> 32))
		return b
	var out = PoolByteArray()
	if typeof(v) == TYPE_ARRAY:
		out.append_array(_u32(19))
		out.append_array(_u32(v.size()))
		for e in v:
			out.append_array(expected_bytes(e, full))
	else:
		out.append_array(_u32(18))
		out.append_array(_u32(v.size()))
		for k in v:
			out.append_array(expected_bytes(k, full))
			out.append_array(expected_bytes(v[k], full))
	return out


# Offsets of the NodePath name padding in expected_bytes(v, full) (left unwritten by 3.2.3),
# appended to `out`; returns the encoded size of v.
func _np_pads(v, full, base, out):
	match typeof(v):
		TYPE_NODE_PATH:
			var pos = base + 16
			var parts = []
			for i in range(v.get_name_count()):
				parts.append(v.get_name(i))
			for i in range(v.get_subname_count()):
				parts.append(v.get_subname(i))
			for s in parts:
				var n = s.to_utf8().size()
				pos += 4 + n
				while n % 4 != 0:
					out.append(pos)
					pos += 1
					n += 1
			return pos - base
		TYPE_ARRAY:
			var pos = base + 8
			for e in v:
				pos += _np_pads(e, full, pos, out)
			return pos - base
		TYPE_DICTIONARY:
			var pos = base + 8
			for k in v:
				pos += _np_pads(k, full, pos, out)
				pos += _np_pads(v[k], full, pos, out)
			return pos - base
	return expected_bytes(v, full).size()


func _hex(b, from, n):
	var s = ""
	for i in range(from, min(from + n, b.size())):
		s += "%02x" % b[i]
	return s


# Checks received bytes against value v; prints one FAIL line on mismatch.
func check(what, label, v, got, full):
	var want = expected_bytes(v, full)
	var pads = []
	_np_pads(v, full, 0, pads)
	var diff = -1
	var n = max(want.size(), got.size())
	for i in range(n):
		if i >= want.size() or i >= got.size():
			diff = i
			break
		if want[i] != got[i]:
			if i in pads and got[i] == 0:
				masked += 1
			else:
				diff = i
				break
	var problems = []
	if diff >= 0:
		problems.append("first differing byte at offset %d: ours %s, engine %s (sizes ours %d, engine %d)" % [
			diff, _hex(got, diff, 8), _hex(want, diff, 8), got.size(), want.size()])
	var back = bytes2var(got, full) if got.size() > 0 else "<no bytes>"
	if not same(v, back):
		problems.append("value differs: engine %s, decoded %s" % [str(v).left(200), str(back).left(200)])
	if problems.empty():
		passes += 1
	else:
		fails += 1
		print("FAIL %s full=%s [%s]: %s" % [what, full, label, PoolStringArray(problems).join("; ")])


func _wait_packet(peer):
	var end = OS.get_ticks_msec() + TIMEOUT_MS
	while OS.get_ticks_msec() < end:
		if peer.get_available_packet_count() > 0:
			return peer.get_packet()
		OS.delay_msec(1)
	return null


func _init():
	var args = _args()
	if args.size() < 2:
		print("RESULT pass=0 fail=1 masked=0 (usage: -- <port_plain> <port_full>)")
		quit()
		return
	print("# engine: Godot %s" % Engine.get_version_info()["string"])
	var ip = args[2] if args.size() > 2 else "127.0.0.1"
	var peers = {}
	var full_flags = [false, true]
	for k in range(2):
		var p = PacketPeerUDP.new()
		p.listen(0, ip)
		p.set_dest_address(ip, int(args[k]))
		peers[full_flags[k]] = p

	# Phase 1: engine -> us -> engine.
	var c = corpus(0)
	for full in full_flags:
		var peer = peers[full]
		for e in c:
			var err = peer.put_var(e[1], full)
			if err != OK:
				fails += 1
				print("FAIL engine->us full=%s [%s]: put_var returned %d" % [full, e[0], err])
				continue
			var got = _wait_packet(peer)
			if got == null:
				fails += 1
				print("FAIL engine->us full=%s [%s]: no reply within %d ms" % [full, e[0], TIMEOUT_MS])
				continue
			check("engine->us->engine", e[0], e[1], got, full)
	print("# phase 1 done: %d values x 2, pass=%d fail=%d" % [c.size(), passes, fails])

	# Phase 2: us -> engine, acknowledged one by one.
	peers[false].put_var("__phase2__", false)
	for full in full_flags:
		var peer = peers[full]
		var want = corpus(0 if full else 1)
		for i in range(want.size()):
			var got = _wait_packet(peer)
			if got == null:
				fails += 1
				print("FAIL us->engine full=%s [%s]: nothing received within %d ms" % [full, want[i][0], TIMEOUT_MS])
				break
			check("us->engine", want[i][0], want[i][1], got, full)
			peer.put_var(i, false)
	print("RESULT pass=%d fail=%d masked=%d values=%d" % [passes, fails, masked, c.size()])
	quit()
