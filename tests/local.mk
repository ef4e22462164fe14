# tests/: shell tests of the real binary; unit tests sit in each module's local.mk.
