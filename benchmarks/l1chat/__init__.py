"""L1, the peer: the Channels tutorial chat app, standalone (not part of Comhla)."""
