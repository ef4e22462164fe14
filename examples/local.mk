# examples/: see README.md for what belongs here.
