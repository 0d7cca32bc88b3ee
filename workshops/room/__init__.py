"""The live room: what is pushed (broadcast), how it is drawn (render), the socket
(consumer), who is here (presence) and the names of its events (events)."""
