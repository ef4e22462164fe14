# broken.profile: a bad XPath, found when the file is loaded.
[profile board-broken]
url = ^https://board\.example/ad/
title = //h2[@class='ad-title']
body = //div[@class='ad-body'
