# board.profile: extraction profiles of board.example, a made-up
# classifieds site (tests/data/pages/board-ad.html), for the tests of
# redflag-profile(5). The first profile whose url pattern matches wins.

[profile board-ad]
# a single ad: /ad/NUMBER
url = ^https?://(www\.)?board\.example/ad/[0-9]+
title = //h2[@class='ad-title']
body = //div[@class='ad-body']
salary = //span[@class='ad-price']
location = //span[@class='ad-city']
employer = //a[@class='author-name']
contacts = //span[@class='author-phone']
posted = //span[@class='ad-date']/@data-ts
# the advertising inside the ad's text
drop = //div[@class='ad-banner']

[profile board-any]
# every other page of the site: only the heading
url = ^https?://(www\.)?board\.example/
title = //h1 | //h2
