# nothing.profile: a profile that matches board.example's ads but whose
# XPaths select nothing there: every field falls back to the heuristic.
[profile board-old-layout]
url = ^https://board\.example/ad/
title = //h1[@id='title']
body = //article//div[@class='text']
salary = //td[@class='salary']
