# A Godot 3 NetworkedMultiplayerENet peer for tests/enet_godot3_engine.rs (run by godot3-server,
# Godot 3.2.3), driven by the packets it receives:
#   godot3-server --no-window -s enet_peer.gd -- server <port> [compression_mode]
#   godot3-server --no-window -s enet_peer.gd -- client <port> [compression_mode]
# (127.0.0.1; compression_mode 0..4 = NONE, RANGE_CODER, FASTLZ, ZLIB, ZSTD, default NONE; the
# engine's defaults otherwise: 3 channels, server relay on.)
#
# Prints one line per thing that happens:
#   READY                       server listening
#   CONNECTED <own id>          client: connection_succeeded
#   FAILED                      client: connection_failed
#   EVENT connected <id>        peer_connected
#   EVENT disconnected <id>     peer_disconnected
#   SERVER_DISCONNECTED         client: server_disconnected
#   RECV <from> <text>          a packet (UTF-8 text) from get_packet_peer()
#   CHANNEL <ch> <text>         the ENet channel it came on (get_packet_channel()), printed next
#   SENT <err> <target> <mode> <text>
#   VAR_OK <from> / VAR_BAD <from> <value>
#                               a packet holding a Godot 3 Dictionary (bytes 12000000): whether it
#                               equals translate_value() key by key
# A received packet whose text starts with "!" is a command:
#   !send <target> <mode> <text>   set_transfer_mode(mode) (0 unreliable, 1 ordered, 2 reliable),
#                                  set_target_peer(target), put_packet(text)
#   !putvar <target>               put_var(translate_value()) reliably to target
#   !close                         close_connection(), print CLOSED and quit
# The script quits by itself after 60 s at most.
extends SceneTree

const LIMIT_MS = 60000

var peer = NetworkedMultiplayerENet.new()
var done = false


func _args():
	var a = Array(OS.get_cmdline_args())
	var i = a.find("--")
	return a.slice(i + 1, a.size() - 1) if i >= 0 and i < a.size() - 1 else []


func _on_connected(id):
	print("EVENT connected %d" % id)


func _on_disconnected(id):
	print("EVENT disconnected %d" % id)


func _on_succeeded():
	print("CONNECTED %d" % peer.get_unique_id())


func _on_failed():
	print("FAILED")
	done = true


func _on_server_disconnected():
	print("SERVER_DISCONNECTED")
	done = true


# The dictionary of the translation test (tests/enet_godot3_engine.rs builds its Godot 4 bytes).
func translate_value():
	return {
		"name": "player é",
		"pos": Vector2(1.5, -2),
		"hp": 100,
		"big": 1 << 40,
		"alive": true,
		"inv": ["sword", 3],
		"at": Vector3(1, 2, 3),
		"tint": Color(1, 0.5, 0.25, 1),
		"path": NodePath("Player/Sprite:modulate"),
	}


func _dict_equal(a, b):
	if typeof(b) != TYPE_DICTIONARY or a.size() != b.size():
		return false
	var ka = a.keys()
	var kb = b.keys()
	for i in range(ka.size()):
		if ka[i] != kb[i] or typeof(a[ka[i]]) != typeof(b[kb[i]]) or not (a[ka[i]] == b[kb[i]]):
			return false
	return true


func _command(text):
	var w = text.split(" ", false, 3)
	if w[0] == "!send" and w.size() == 4:
		peer.set_transfer_mode(int(w[2]))
		peer.set_target_peer(int(w[1]))
		var err = peer.put_packet(w[3].to_utf8())
		print("SENT %d %s %s %s" % [err, w[1], w[2], w[3]])
	elif w[0] == "!putvar" and w.size() == 2:
		peer.set_transfer_mode(NetworkedMultiplayerPeer.TRANSFER_MODE_RELIABLE)
		peer.set_target_peer(int(w[1]))
		print("SENT %d %s 2 var" % [peer.put_var(translate_value()), w[1]])
	elif w[0] == "!close":
		peer.close_connection()
		print("CLOSED")
		done = true
	else:
		print("BAD_COMMAND %s" % text)


func _init():
	var args = _args()
	if args.size() < 2:
		print("usage: -- server|client <port>")
		quit()
		return
	peer.connect("peer_connected", self, "_on_connected")
	peer.connect("peer_disconnected", self, "_on_disconnected")
	peer.connect("connection_succeeded", self, "_on_succeeded")
	peer.connect("connection_failed", self, "_on_failed")
	peer.connect("server_disconnected", self, "_on_server_disconnected")
	var err
	if args.size() > 2:
		peer.compression_mode = int(args[2])
	if args[0] == "server":
		peer.set_bind_ip("127.0.0.1")
		err = peer.create_server(int(args[1]), 8)
		print("READY" if err == OK else "CREATE_FAILED %d" % err)
	else:
		err = peer.create_client("127.0.0.1", int(args[1]))
		if err != OK:
			print("CREATE_FAILED %d" % err)
	if err != OK:
		quit()
		return
	var end = OS.get_ticks_msec() + LIMIT_MS
	while not done and OS.get_ticks_msec() < end:
		peer.poll()
		while not done and peer.get_available_packet_count() > 0:
			var from = peer.get_packet_peer()
			var ch = peer.get_packet_channel()
			var bytes = peer.get_packet()
			if bytes.size() >= 4 and bytes[0] == 18 and bytes[1] == 0 and bytes[2] == 0 and bytes[3] == 0:
				var v = bytes2var(bytes)
				if _dict_equal(translate_value(), v):
					print("VAR_OK %d" % from)
				else:
					print("VAR_BAD %d %s" % [from, str(v)])
				continue
			var text = bytes.get_string_from_utf8()
			print("RECV %d %s" % [from, text])
			print("CHANNEL %d %s" % [ch, text])
			if text.begins_with("!"):
				_command(text)
		OS.delay_msec(1)
	print("END")
	quit()
