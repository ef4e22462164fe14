# text/: see README.md for what belongs here.
