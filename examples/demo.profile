# demo.profile: the extraction profile of the demo site's listings
# (redflag-profile(5)), named by the profile key of demo.conf. Each field
# is an XPath over the page as libxml2's HTML parser reads it (tag names in
# lower case); a field whose XPath selects nothing on a page keeps what
# the main-content heuristic found. `redflag extract --profiles
# examples/demo.profile PAGE` shows which fields came from here.

[profile bazar-listing]
# the listing pages, whatever folder the demo site is copied to
url = /listings/[0-9]+\.html$
title = //h1[@class='listing-title']
# the ad as its author wrote it: properties, description and contacts
body = //article[contains(@class, 'listing')]
salary = //dd[@class='salary']
location = //dd[@class='location']
employer = //dd[@class='employer']
contacts = //section[@class='listing-contacts']
posted = //time/@datetime
# the view counter is not part of the ad
drop = //span[@class='listing-views']
