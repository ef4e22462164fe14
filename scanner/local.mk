# scanner/: the redflag program.
bin_PROGRAMS += redflag
redflag_SOURCES = scanner/main.c
