"""The pure simulation core: numpy state with a leading game axis, no I/O, no globals, no UI."""
