# What the timed decode window of godot3_codec.gd contains, for payload (c).
# usage: LANG=en_US.UTF-8 godot3-server --no-window -s godot3_free_cost.gd -- [REPS=5]
# Runs godot3_codec.gd's _time_codec verbatim on the 100,000 dictionaries, then a copy that also
# frees each decoded result explicitly (`back = null`) and times that free on its own. When the
# verbatim decode figure matches the copy's decode figure, and not decode + free, the engine's
# figure leaves out freeing the decoded tree; benches/codec.rs then stops its clock before the
# drop for the figure it compares (and prints decode + drop beside it).
extends SceneTree

func _args():
	var a = Array(OS.get_cmdline_args())
	var i = a.find("--")
	return a.slice(i + 1, a.size() - 1) if i >= 0 and i < a.size() - 1 else []

func _median(v):
	v.sort()
	return v[v.size() / 2]

func _check_dicts(a, b):
	return b is Array and b.size() == a.size() and b[a.size() - 1]["name"] == a[a.size() - 1]["name"] and b[777]["pos"] == a[777]["pos"]

# verbatim from godot3_codec.gd
func _time_codec(value, reps, check_fn):
	var enc = []
	var dec = []
	var size = 0
	for r in range(reps + 1):
		var t0 = OS.get_ticks_usec()
		var b = var2bytes(value)
		var t1 = OS.get_ticks_usec()
		var back = bytes2var(b)
		var t2 = OS.get_ticks_usec()
		size = b.size()
		if not call(check_fn, value, back):
			print("# WARNING: round trip mismatch in ", check_fn)
		if r > 0:
			enc.append(float(t1 - t0))
			dec.append(float(t2 - t1))
	return [enc, dec, size]

# the same, plus an explicit, separately timed free of each decoded result
func _time_codec_freed(value, reps, check_fn):
	var dec = []
	var fre = []
	for r in range(reps + 1):
		var b = var2bytes(value)
		var t1 = OS.get_ticks_usec()
		var back = bytes2var(b)
		var t2 = OS.get_ticks_usec()
		if not call(check_fn, value, back):
			print("# WARNING: round trip mismatch in ", check_fn)
		var t3 = OS.get_ticks_usec()
		back = null
		var t4 = OS.get_ticks_usec()
		if r > 0:
			dec.append(float(t2 - t1))
			fre.append(float(t4 - t3))
	return [dec, fre]

func _init():
	var args = _args()
	var reps = int(args[0]) if args.size() > 0 else 5
	var arr = []
	for i in range(100000):
		arr.append({"id": i, "pos": Vector2(i, i * 2), "name": "player_%03d" % (i % 1000), "hp": float(i % 100) + 0.5})
	var v = _time_codec(arr, reps, "_check_dicts")
	var f = _time_codec_freed(arr, reps, "_check_dicts")
	print("godot3_free_cost_verbatim_decode_ms: %.1f" % (_median(v[1]) / 1000.0))
	print("godot3_free_cost_decode_ms: %.1f" % (_median(f[0]) / 1000.0))
	print("godot3_free_cost_free_ms: %.1f" % (_median(f[1]) / 1000.0))
	quit()
