# Godot 3 engine side of c_tests/test_godot3_engine.c (run by godot3-server, Godot 3.2.3):
#   godot3-server --no-window -s c_values.gd -- <port>
# Sends "ready" to 127.0.0.1:<port>, then receives the values the C test built with pp_variant_* and
# sent with pp_put_var over PacketPeerUDP in the godot3 dialect, one packet each, in the order of
# expected(). Each must decode (bytes2var, objects allowed when the C side sent them in full) to the
# expected value and its bytes must equal the engine's own encoding; the reply is "ok <i>" or
# "FAIL <i> <why, with the first differing byte>". Quits after the last value or 30 s.
# NodePath names here are 4-byte multiples: 3.2.3 leaves NodePath padding unwritten (see
# codec_corpus.gd), so its own encoding of other names is not a fixed reference.
extends SceneTree

const OBJ_ID = 1234567890123


class IdRef:
	var id = 0

	func _init(i):
		id = i


func _args():
	var a = Array(OS.get_cmdline_args())
	var i = a.find("--")
	return a.slice(i + 1, a.size() - 1) if i >= 0 and i < a.size() - 1 else []


# [value, full_objects], in the order the C test sends them.
func expected():
	var nz = 0.0
	nz = -nz  # GDScript folds the literal -0.0 to +0.0
	var res = Resource.new()
	res.resource_name = "c"
	var deep = ["leaf"]
	for i in range(10):
		deep = [deep]
	return [
		[-9000000000, false],
		[NAN, false],
		[nz, false],
		["héllo 日本 🎮", false],
		["", false],
		[Vector2(1.5, -2.25), false],
		[Vector3(1, 2, 3), false],
		[Color(0.1, 0.2, 0.3, 0.4), false],
		[NodePath("/root/Main:position:rotx"), false],
		[NodePath("abcd/efgh"), false],
		[{"name": "player", "pos": Vector2(1, 2), "list": [1, "two", [3.5]], 7: null}, false],
		[PoolStringArray(["a", "é", ""]), false],
		[PoolIntArray([1, -1, 2147483647]), false],
		[PoolRealArray([1.5, nz]), false],
		[IdRef.new(OBJ_ID), false],
		[res, true],
		[RID(), false],
		[deep, false],
	]


func _u32(n):
	return PoolByteArray([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >> 24) & 0xff])


func expected_bytes(v, full):
	if v is IdRef:
		var b = _u32(0x00010011)
		b.append_array(_u32(v.id & 0xffffffff))
		b.append_array(_u32(v.id >> 32))
		return b
	return var2bytes(v, full)


func same(a, b):
	if a is IdRef:
		return b is EncodedObjectAsID and b.get_object_id() == a.id
	if typeof(a) != typeof(b):
		return false
	match typeof(a):
		TYPE_REAL:
			return (is_nan(a) and is_nan(b)) or a == b
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
			if a == null or b == null:
				return a == null and b == null
			if a.get_class() != b.get_class():
				return false
			for p in a.get_property_list():
				if p["usage"] & PROPERTY_USAGE_STORAGE and not same(a.get(p["name"]), b.get(p["name"])):
					return false
			return true
	return a == b


func check(i, e, got):
	var want = expected_bytes(e[0], e[1])
	for k in range(max(want.size(), got.size())):
		if k >= want.size() or k >= got.size() or want[k] != got[k]:
			return "first differing byte at offset %d: ours %s, engine %s (sizes ours %d, engine %d)" % [
				k, got.subarray(k, min(k + 7, got.size() - 1)).hex_encode() if k < got.size() else "",
				want.subarray(k, min(k + 7, want.size() - 1)).hex_encode() if k < want.size() else "",
				got.size(), want.size()]
	var back = bytes2var(got, e[1])
	if not same(e[0], back):
		return "value differs: engine %s, decoded %s" % [str(e[0]), str(back)]
	return ""


func _init():
	var args = _args()
	if args.size() < 1:
		print("usage: -- <port>")
		quit()
		return
	var peer = PacketPeerUDP.new()
	peer.listen(0, "127.0.0.1")
	peer.set_dest_address("127.0.0.1", int(args[0]))
	peer.put_packet("ready".to_utf8())
	var want = expected()
	var i = 0
	var end = OS.get_ticks_msec() + 30000
	while i < want.size() and OS.get_ticks_msec() < end:
		if peer.get_available_packet_count() == 0:
			OS.delay_msec(1)
			continue
		var why = check(i, want[i], peer.get_packet())
		var reply = ("ok %d" % i) if why == "" else ("FAIL %d %s" % [i, why])
		print(reply)
		peer.put_packet(reply.to_utf8())
		i += 1
	print("END %d" % i)
	quit()
