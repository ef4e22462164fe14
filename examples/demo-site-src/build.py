#!/usr/bin/env python3
# Generates examples/demo-site/ from the listing data beside this file.
#
# The generated site is committed; this script is only needed to change it.
# It uses the Python standard library and iconv(1) (for the windows-1251
# pages), and it rewrites the whole output directory:
#
#     python3 examples/demo-site-src/build.py
#
# Keep it deterministic: the same data must give byte-identical files, so
# that a regeneration shows up in git only where the data changed.

import csv
import datetime
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True   # keep __pycache__ out of the source tree

from ids import IDS  # noqa: E402
from listings_other import LISTINGS as LISTINGS_OTHER  # noqa: E402
from listings_ru import LISTINGS as LISTINGS_RU  # noqa: E402
from news import NEWS  # noqa: E402

OUT = os.path.normpath(os.path.join(HERE, "..", "demo-site"))
SITE = "Базар-Доска"
PER_PAGE_ALL = 12
PER_PAGE_CAT = 10

CATEGORIES = [
    ("abroad", "Работа за рубежом"),
    ("horeca", "Общепит и гостиницы"),
    ("transport", "Транспорт и доставка"),
    ("office", "Офис, бухгалтерия, продажи"),
    ("trade", "Торговля"),
    ("construction", "Строительство и вахта"),
    ("industry", "Производство и склад"),
    ("agro", "Сельское хозяйство и сезонные работы"),
    ("home", "Домашний персонал"),
    ("edu-med", "Образование и медицина"),
    ("it", "IT и телеком"),
    ("security", "Охрана"),
]
CATNAME = dict(CATEGORIES)

LANGNAME = {
    "ru": "русский", "en": "English", "kk": "қазақша", "ky": "кыргызча",
    "uz-Latn": "oʻzbekcha", "uz-Cyrl": "ўзбекча", "tg": "тоҷикӣ",
    "tk": "türkmençe",
}
# BCP 47 tags for the lang attribute of the listing element.
LANGTAG = {"uz-Latn": "uz-Latn", "uz-Cyrl": "uz-Cyrl"}

MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
          "августа", "сентября", "октября", "ноября", "декабря"]

EMPTYPE = {
    "Полная занятость": "FULL_TIME", "Частичная занятость": "PART_TIME",
    "Сезонная работа": "TEMPORARY", "Вахтовый метод": "FULL_TIME",
    "Сменный график": "FULL_TIME", "Гибкий график": "PART_TIME",
    "Контракт": "CONTRACTOR",
}


def esc(s):
    return html.escape(s, quote=True)


def ru_date(iso):
    d = datetime.date.fromisoformat(iso)
    return "%d %s %d" % (d.day, MONTHS[d.month - 1], d.year)


def snippet(text, n):
    if len(text) <= n:
        return text
    cut = text[:n].rsplit(" ", 1)[0].rstrip(",.;:—–-")
    return cut + "…"


def load():
    listings = LISTINGS_RU + LISTINGS_OTHER
    keys = set()
    for x in listings:
        if x["key"] in keys:
            sys.exit("duplicate key " + x["key"])
        keys.add(x["key"])
        if x["key"] not in IDS:
            sys.exit("no id for %s: add one to ids.py" % x["key"])
        x["id"] = IDS[x["key"]]
        x.setdefault("charset", "utf-8")
        x.setdefault("cluster", "")
        x.setdefault("workplace", None)
        x.setdefault("work_country", None)
        x.setdefault("traps", "")
        if x["cat"] not in CATNAME:
            sys.exit("unknown category " + x["cat"])
    if len(set(IDS.values())) != len(IDS):
        sys.exit("ids.py reuses an id")
    listings.sort(key=lambda x: (x["posted"], x["id"]), reverse=True)
    return listings


# ------------------------------------------------------------------ chrome

def head(r, title, description=None, extra="", charset="utf-8",
         page_kind="page", page_id=""):
    out = io.StringIO()
    w = out.write
    w("<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n")
    w("<meta charset=\"%s\">\n" % charset)
    w("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
    w("<title>%s</title>\n" % esc(title))
    if description:
        w("<meta name=\"description\" content=\"%s\">\n" % esc(description))
    w("<link rel=\"stylesheet\" href=\"%sassets/style.css\">\n" % r)
    w("<link rel=\"icon\" href=\"%sassets/logo.svg\" type=\"image/svg+xml\">\n" % r)
    w(extra)
    w("<script>\n"
      "  /* page statistics: kept in the browser, nothing is sent */\n"
      "  window.bdStats = window.bdStats || [];\n"
      "  window.bdStats.push({kind: \"%s\", id: \"%s\"});\n"
      "</script>\n" % (page_kind, page_id))
    w("</head>\n")
    return out.getvalue()


def cookie_banner(r):
    return (
        "<div class=\"cookie-banner\" id=\"cookie-consent\" role=\"dialog\" "
        "aria-label=\"Файлы cookie\">\n"
        "  <p>Мы используем файлы cookie, чтобы запоминать ваш город и "
        "избранные объявления. Оставаясь на сайте, вы соглашаетесь с "
        "<a href=\"%sabout.html#privacy\">политикой конфиденциальности</a>.</p>\n"
        "  <button type=\"button\" class=\"btn-accept\">Понятно</button>\n"
        "</div>\n" % r)


def site_header(r):
    return (
        "<header class=\"site-header\">\n"
        "  <a class=\"logo\" href=\"%(r)sindex.html\"><img src=\"%(r)sassets/logo.svg\" "
        "alt=\"\" width=\"28\" height=\"28\"> %(site)s</a>\n"
        "  <nav class=\"main-nav\" aria-label=\"Разделы сайта\">\n"
        "    <a href=\"%(r)sindex.html\">Главная</a>\n"
        "    <a href=\"%(r)sjobs/page-1.html\">Вакансии</a>\n"
        "    <a href=\"%(r)sjobs/abroad/page-1.html\">Работа за рубежом</a>\n"
        "    <a href=\"%(r)snews/index.html\">Новости</a>\n"
        "    <a href=\"%(r)sabout.html\">О сайте</a>\n"
        "    <a href=\"%(r)ssearch.html\">Поиск</a>\n"
        "    <a class=\"btn-post\" href=\"%(r)spost.html\">Подать объявление</a>\n"
        "  </nav>\n"
        "  <form class=\"search-form\" action=\"%(r)ssearch.html\" method=\"get\">\n"
        "    <input type=\"search\" name=\"q\" placeholder=\"Должность или город\" "
        "aria-label=\"Поиск\">\n"
        "    <button type=\"submit\">Найти</button>\n"
        "  </form>\n"
        "</header>\n" % {"r": r, "site": SITE})


def site_footer(r):
    cats = "".join(
        "      <li><a href=\"%sjobs/%s/page-1.html\">%s</a></li>\n"
        % (r, slug, esc(name)) for slug, name in CATEGORIES[:6])
    return (
        "<footer class=\"site-footer\">\n"
        "  <div class=\"footer-cols\">\n"
        "    <div>\n"
        "      <h3>%(site)s</h3>\n"
        "      <p>Объявления о работе в Казахстане, Кыргызстане, Узбекистане, "
        "Таджикистане и Туркменистане.</p>\n"
        "    </div>\n"
        "    <div>\n"
        "      <h3>Разделы</h3>\n"
        "      <ul>\n%(cats)s      </ul>\n"
        "    </div>\n"
        "    <div>\n"
        "      <h3>Помощь</h3>\n"
        "      <ul>\n"
        "      <li><a href=\"%(r)sabout.html\">О сайте</a></li>\n"
        "      <li><a href=\"%(r)sabout.html#rules\">Правила размещения</a></li>\n"
        "      <li><a href=\"%(r)snews/index.html\">Новости</a></li>\n"
        "      <li><a href=\"%(r)sadmin/index.html\">Вход для модераторов</a></li>\n"
        "      </ul>\n"
        "    </div>\n"
        "  </div>\n"
        "  <p class=\"safety-tip\">Безопасность: не переводите предоплату за "
        "трудоустройство и не отдавайте паспорт посторонним. Честный работодатель "
        "называет компанию, адрес и условия договора.</p>\n"
        "  <p class=\"demo-note\">Демонстрационный сайт проекта redflag. Все "
        "объявления, компании, имена, адреса, телефоны и аккаунты вымышлены; "
        "совпадения случайны.</p>\n"
        "  <p class=\"copyright\">© 2024 %(site)s · Партнёр: "
        "<a href=\"https://partners.example/\" rel=\"nofollow\">Карьерный портал</a></p>\n"
        "</footer>\n" % {"r": r, "site": SITE, "cats": cats})


def page(r, title, body, description=None, extra="", charset="utf-8",
         page_kind="page", page_id="", body_class="page"):
    return (head(r, title, description, extra, charset, page_kind, page_id)
            + "<body class=\"%s\">\n" % body_class
            + cookie_banner(r) + site_header(r) + body + site_footer(r)
            + "</body>\n</html>\n")


# ---------------------------------------------------------------- listings

def tel_href(value, country):
    if re.search(r"[^\d +()\-]", value):
        return None              # dots, letters: shown as typed, no link
    digits = re.sub(r"\D", "", value)
    if value.startswith("+"):
        num = "+" + digits
    elif value.startswith("8 (") and country == "KZ":
        num = "+7" + digits[1:]
    elif value.startswith("0 ") and country == "KG":
        num = "+996" + digits[1:]
    else:
        return None
    return num if 11 <= len(num) - 1 <= 13 else None


def contacts_html(x):
    items = []
    for label, value in x["contacts"]:
        v = esc(value)
        href = None
        if label.startswith("Телефон") or label.startswith("Отдел"):
            if "WhatsApp" not in label:
                href = tel_href(value, x["country"])
        if href:
            v = "<a href=\"tel:%s\">%s</a>" % (href, v)
        elif label == "E-mail":
            v = "<a href=\"mailto:%s\">%s</a>" % (esc(value), v)
        items.append("        <li><span class=\"contact-label\">%s:</span> "
                     "<span class=\"contact-value\">%s</span></li>\n"
                     % (esc(label), v))
    return "".join(items)


def jsonld(x):
    # Half of the JSON-LD descriptions carry HTML, as many boards emit them.
    if x["id"] % 2:
        desc = "".join("<p>%s</p>" % esc(p) for p in x["paras"])
    else:
        desc = "\n".join(x["paras"])
    obj = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": x["title"],
        "description": desc,
        "datePosted": x["posted"],
        "validThrough": (datetime.date.fromisoformat(x["posted"])
                         + datetime.timedelta(days=30)).isoformat(),
        "employmentType": EMPTYPE.get(x["emp_type"], "OTHER"),
        "hiringOrganization": {"@type": "Organization", "name": x["employer"]},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": x["workplace"] or x["city"],
                "addressCountry": x["work_country"] or x["country"],
            },
        },
        "identifier": {"@type": "PropertyValue", "name": SITE,
                       "value": str(x["id"])},
    }
    if x["salary"]:
        cur, lo, hi, unit = x["salary"]
        value = {"@type": "QuantitativeValue", "unitText": unit}
        if lo is not None:
            value["minValue"] = lo
        if hi is not None:
            value["maxValue"] = hi
        obj["baseSalary"] = {"@type": "MonetaryAmount", "currency": cur,
                             "value": value}
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    text = text.replace("</", "<\\/")
    return ("<script type=\"application/ld+json\">\n%s\n</script>\n" % text)


def encodable(s, charset):
    try:
        s.encode(charset)
        return True
    except UnicodeEncodeError:
        return False


def related_for(x, listings):
    charset = x["charset"]

    def ok(y):
        if y is x:
            return False
        if charset != "utf-8":
            return encodable(y["title"] + y["salary_text"] + y["city"]
                             + y["paras"][0], charset)
        return True
    same = [y for y in listings if y["cat"] == x["cat"] and ok(y)][:2]
    rest = [y for y in listings if ok(y) and y not in same]
    start = x["id"] % len(rest)
    picked = same + (rest[start:] + rest[:start])[:4 - len(same)]
    return picked


def listing_page(x, listings):
    r = "../"
    lid = x["id"]
    title = "%s — %s — %s" % (x["title"], x["city"], SITE)
    extra = "<link rel=\"canonical\" href=\"%d.html\">\n" % lid
    if x["jsonld"]:
        extra += jsonld(x)
    props = [("Зарплата", "salary", x["salary_text"]),
             ("Город", "location", x["city"])]
    if x["workplace"]:
        props.append(("Место работы", "workplace", x["workplace"]))
    props += [("Работодатель", "employer", x["employer"]),
              ("Занятость", "employment", x["emp_type"])]
    props_html = "".join(
        "      <dt>%s</dt><dd class=\"%s\">%s</dd>\n" % (esc(a), b, esc(c))
        for a, b, c in props)
    paras = "".join("      <p>%s</p>\n" % esc(p) for p in x["paras"])
    rel = related_for(x, listings)
    rel_html = "".join(
        "    <li class=\"related-item\"><a href=\"%d.html\">%s</a>\n"
        "      <span class=\"rel-salary\">%s</span> · <span class=\"rel-city\">%s</span>\n"
        "      <p class=\"rel-snippet\">%s</p></li>\n"
        % (y["id"], esc(y["title"]), esc(y["salary_text"]), esc(y["city"]),
           esc(snippet(y["paras"][0], 90))) for y in rel)
    views = (lid * 37) % 900 + 40
    lang = LANGTAG.get(x["lang"], x["lang"])
    body = (
        "<nav class=\"breadcrumbs\" aria-label=\"Навигация\">"
        "<a href=\"%(r)sindex.html\">Главная</a> › "
        "<a href=\"%(r)sjobs/page-1.html\">Вакансии</a> › "
        "<a href=\"%(r)sjobs/%(cat)s/page-1.html\">%(catname)s</a> › "
        "<span>№ %(id)d</span></nav>\n"
        "<div class=\"layout\">\n"
        "<main id=\"content\" class=\"listing-main\">\n"
        "  <article class=\"listing\" id=\"listing-%(id)d\" data-listing-id=\"%(id)d\" "
        "lang=\"%(lang)s\">\n"
        "    <h1 class=\"listing-title\">%(title)s</h1>\n"
        "    <div class=\"listing-meta\">\n"
        "      <span class=\"listing-id\">№ %(id)d</span>\n"
        "      <span class=\"listing-date\">Опубликовано: <time datetime=\"%(iso)s\">"
        "%(date)s</time></span>\n"
        "      <span class=\"listing-views\">Просмотров: %(views)d</span>\n"
        "    </div>\n"
        "    <dl class=\"listing-props\">\n%(props)s    </dl>\n"
        "    <div class=\"listing-description\">\n%(paras)s    </div>\n"
        "    <section class=\"listing-contacts\">\n"
        "      <h2>Контакты</h2>\n"
        "      <ul>\n%(contacts)s      </ul>\n"
        "    </section>\n"
        "  </article>\n"
        "  <div class=\"listing-actions\">\n"
        "    <a href=\"%(r)sabout.html#report\">Пожаловаться</a>\n"
        "    <a href=\"%(r)sjobs/%(cat)s/page-1.html\">Все объявления раздела</a>\n"
        "  </div>\n"
        "</main>\n"
        "<aside class=\"related\" aria-label=\"Похожие объявления\">\n"
        "  <h2>Похожие объявления</h2>\n"
        "  <ul>\n%(rel)s  </ul>\n"
        "</aside>\n"
        "</div>\n"
        "<script>window.__LISTING__ = {\"id\": %(id)d, \"related\": [%(relids)s]};</script>\n"
        % {"r": r, "cat": x["cat"], "catname": esc(CATNAME[x["cat"]]),
           "id": lid, "lang": lang, "title": esc(x["title"]),
           "iso": x["posted"], "date": ru_date(x["posted"]), "views": views,
           "props": props_html, "paras": paras,
           "contacts": contacts_html(x), "rel": rel_html,
           "relids": ", ".join(str(y["id"]) for y in rel)})
    return page(r, title, body, snippet(x["paras"][0], 160), extra,
                x["charset"], "listing", str(lid), "page-listing")


# ------------------------------------------------------------ index pages

def card(x, r):
    return (
        "  <li class=\"card\">\n"
        "    <a class=\"card-title\" href=\"%(r)slistings/%(id)d.html\">%(title)s</a>\n"
        "    <div class=\"card-meta\"><span class=\"card-salary\">%(salary)s</span> · "
        "<span class=\"card-city\">%(city)s</span> · <time datetime=\"%(iso)s\">%(date)s</time>"
        " · <span class=\"card-lang\">%(lang)s</span></div>\n"
        "    <p class=\"card-snippet\">%(snip)s</p>\n"
        "  </li>\n"
        % {"r": r, "id": x["id"], "title": esc(x["title"]),
           "salary": esc(x["salary_text"]), "city": esc(x["city"]),
           "iso": x["posted"], "date": ru_date(x["posted"]),
           "lang": esc(LANGNAME[x["lang"]]), "snip": esc(snippet(x["paras"][0], 150))})


def pagination(n, total):
    if total < 2:
        return ""
    parts = []
    if n > 1:
        parts.append("<a rel=\"prev\" href=\"page-%d.html\">← Назад</a>" % (n - 1))
    for i in range(1, total + 1):
        if i == n:
            parts.append("<span class=\"current\" aria-current=\"page\">%d</span>" % i)
        else:
            parts.append("<a href=\"page-%d.html\">%d</a>" % (i, i))
    if n < total:
        parts.append("<a rel=\"next\" href=\"page-%d.html\">Далее →</a>" % (n + 1))
    return "<nav class=\"pagination\" aria-label=\"Страницы\">%s</nav>\n" % " ".join(parts)


def cat_sidebar(r, listings, current=None):
    items = []
    for slug, name in CATEGORIES:
        n = sum(1 for x in listings if x["cat"] == slug)
        cls = " class=\"current\"" if slug == current else ""
        items.append("    <li%s><a href=\"%sjobs/%s/page-1.html\">%s</a> <span>%d</span></li>\n"
                     % (cls, r, slug, esc(name), n))
    return ("<aside class=\"categories\" aria-label=\"Категории\">\n"
            "  <h2>Категории</h2>\n  <ul>\n%s  </ul>\n</aside>\n" % "".join(items))


def index_pages(items, per_page, r, heading, base_title, listings, current):
    total = max(1, (len(items) + per_page - 1) // per_page)
    pages = []
    for n in range(1, total + 1):
        chunk = items[(n - 1) * per_page:n * per_page]
        extra = ""
        if n > 1:
            extra += "<link rel=\"prev\" href=\"page-%d.html\">\n" % (n - 1)
        if n < total:
            extra += "<link rel=\"next\" href=\"page-%d.html\">\n" % (n + 1)
        h = heading if total == 1 else "%s — страница %d из %d" % (heading, n, total)
        body = (
            "<div class=\"layout\">\n"
            "<main id=\"content\" class=\"list-main\">\n"
            "<h1>%s</h1>\n"
            "<p class=\"list-count\">Найдено объявлений: %d</p>\n"
            "<ul class=\"cards\">\n%s</ul>\n%s"
            "</main>\n%s</div>\n"
            % (esc(h), len(items), "".join(card(x, r) for x in chunk),
               pagination(n, total), cat_sidebar(r, listings, current)))
        pages.append(page(r, "%s — %s" % (h, SITE), body,
                          "%s: свежие объявления о работе." % heading, extra,
                          page_kind="list", page_id="%s-%d" % (current or "all", n),
                          body_class="page-list"))
    return pages


# ------------------------------------------------------------- other pages

def home(listings):
    r = ""
    latest = "".join(card(x, r) for x in listings[:10])
    news = "".join(
        "  <li><a href=\"news/%s.html\">%s</a> <time datetime=\"%s\">%s</time></li>\n"
        % (n["slug"], esc(n["title"]), n["posted"], ru_date(n["posted"]))
        for n in sorted(NEWS, key=lambda n: n["posted"], reverse=True))
    body = (
        "<div class=\"layout\">\n"
        "<main id=\"content\" class=\"home-main\">\n"
        "<section class=\"hero\">\n"
        "  <h1>Работа в Центральной Азии</h1>\n"
        "  <p>%d вакансий от работодателей и частных лиц. Объявления на русском, "
        "казахском, кыргызском, узбекском, таджикском, туркменском и английском языках.</p>\n"
        "</section>\n"
        "<section class=\"latest\">\n"
        "  <h2>Новые объявления</h2>\n"
        "  <ul class=\"cards\">\n%s  </ul>\n"
        "  <p><a class=\"more\" href=\"jobs/page-1.html\">Все вакансии</a></p>\n"
        "</section>\n"
        "<section class=\"news-block\">\n"
        "  <h2>Новости</h2>\n"
        "  <ul>\n%s  </ul>\n"
        "</section>\n"
        "</main>\n%s</div>\n"
        % (len(listings), latest, news, cat_sidebar(r, listings)))
    return page(r, "%s — вакансии в Казахстане, Кыргызстане, Узбекистане, "
                "Таджикистане и Туркменистане" % SITE, body,
                "Доска объявлений о работе в Центральной Азии.",
                page_kind="home", body_class="page-home")


def news_pages():
    out = {}
    r = "../"
    items = sorted(NEWS, key=lambda n: n["posted"], reverse=True)
    lis = "".join(
        "  <li class=\"news-item\"><a href=\"%s.html\">%s</a> "
        "<time datetime=\"%s\">%s</time>\n    <p>%s</p></li>\n"
        % (n["slug"], esc(n["title"]), n["posted"], ru_date(n["posted"]),
           esc(n["lead"])) for n in items)
    body = ("<div class=\"layout\">\n<main id=\"content\" class=\"list-main\">\n"
            "<h1>Новости</h1>\n<ul class=\"news-list\">\n%s</ul>\n</main>\n</div>\n" % lis)
    out["news/index.html"] = page(r, "Новости — " + SITE, body,
                                  "Новости и советы соискателям.",
                                  page_kind="news-index", body_class="page-news")
    for n in items:
        paras = ""
        for h, p in n["paras"]:
            if h:
                paras += "    <h2>%s</h2>\n" % esc(h)
            paras += "    <p>%s</p>\n" % esc(p)
        body = (
            "<nav class=\"breadcrumbs\" aria-label=\"Навигация\">"
            "<a href=\"%(r)sindex.html\">Главная</a> › "
            "<a href=\"index.html\">Новости</a></nav>\n"
            "<div class=\"layout\">\n"
            "<main id=\"content\" class=\"news-main\">\n"
            "  <article class=\"news-article\">\n"
            "    <h1>%(title)s</h1>\n"
            "    <p class=\"news-date\"><time datetime=\"%(iso)s\">%(date)s</time>, "
            "редакция %(site)s</p>\n"
            "    <p class=\"lead\">%(lead)s</p>\n%(paras)s"
            "  </article>\n"
            "</main>\n</div>\n"
            % {"r": r, "title": esc(n["title"]), "iso": n["posted"],
               "date": ru_date(n["posted"]), "site": SITE,
               "lead": esc(n["lead"]), "paras": paras})
        out["news/%s.html" % n["slug"]] = page(
            r, "%s — %s" % (n["title"], SITE), body, n["lead"],
            page_kind="news", page_id=n["key"], body_class="page-news")
    return out


def about():
    body = """<div class="layout">
<main id="content" class="text-main">
  <h1>О сайте</h1>
  <p>Базар-Доска — бесплатная доска объявлений о работе для Казахстана, Кыргызстана,
  Узбекистана, Таджикистана и Туркменистана. Объявления размещают работодатели,
  кадровые агентства и частные лица; соискатели откликаются напрямую, без посредничества сайта.</p>
  <h2 id="rules">Правила размещения</h2>
  <ul>
    <li>Одно объявление — одна вакансия. Указывайте работодателя, город и размер оплаты.</li>
    <li>Вакансии за рубежом размещают только агентства с действующей лицензией; номер лицензии указывается в тексте.</li>
    <li>Запрещены объявления, требующие оплаты от соискателя, и объявления без контактов, кроме мессенджера.</li>
  </ul>
  <h2 id="report">Жалобы на объявления</h2>
  <p>Под каждым объявлением есть ссылка «Пожаловаться». Модераторы рассматривают жалобы
  в течение суток и при необходимости передают сведения в правоохранительные органы.</p>
  <h2 id="privacy">Конфиденциальность</h2>
  <p>Мы храним файлы cookie с выбранным городом и списком избранного. Мы не продаём
  данные пользователей и не передаём их рекламным сетям.</p>
  <h2 id="demo">Об этом демонстрационном сайте</h2>
  <p>Эта копия Базар-Доски — учебный стенд проекта redflag. Все объявления, компании,
  имена, адреса, телефоны и аккаунты в мессенджерах придуманы для проверки программы;
  любые совпадения с реальными людьми и организациями случайны.</p>
  <h2>Контакты редакции</h2>
  <p>E-mail: <a href="mailto:support@bazar-doska.example">support@bazar-doska.example</a></p>
</main>
</div>
"""
    return page("", "О сайте — " + SITE, body, "О сайте, правила и контакты.",
                page_kind="about", body_class="page-text")


def post_page():
    body = """<div class="layout">
<main id="content" class="text-main">
  <h1>Подать объявление</h1>
  <p>Размещение бесплатно. Перед публикацией объявление проверяет модератор.</p>
  <form class="post-form" action="post.html" method="post">
    <label>Заголовок <input type="text" name="title" maxlength="120"></label>
    <label>Город <input type="text" name="city"></label>
    <label>Текст объявления <textarea name="text" rows="8"></textarea></label>
    <label>Телефон <input type="tel" name="phone"></label>
    <button type="submit">Отправить на модерацию</button>
  </form>
</main>
</div>
"""
    return page("", "Подать объявление — " + SITE, body,
                page_kind="post", body_class="page-text")


def search_page(listings):
    # Disallowed by robots.txt: a polite crawler never fetches it.
    hits = [x for x in listings if x["cat"] == "horeca"][:3]
    body = (
        "<div class=\"layout\">\n<main id=\"content\" class=\"list-main\">\n"
        "<h1>Поиск по объявлениям</h1>\n"
        "<p class=\"canary\">redflag-demo-canary:search</p>\n"
        "<p>Результаты по запросу «повар»: %d</p>\n"
        "<ul class=\"cards\">\n%s</ul>\n</main>\n</div>\n"
        % (len(hits), "".join(card(x, "") for x in hits)))
    return page("", "Поиск — " + SITE, body, page_kind="search",
                body_class="page-list")


def admin_pages():
    r = "../"
    login = """<div class="layout">
<main id="content" class="text-main">
  <h1>Панель модератора</h1>
  <p class="canary">redflag-demo-canary:admin</p>
  <form class="login-form" action="index.html" method="post">
    <label>Логин <input type="text" name="login"></label>
    <label>Пароль <input type="password" name="password"></label>
    <button type="submit">Войти</button>
  </form>
  <p><a href="queue.html">Очередь модерации</a></p>
</main>
</div>
"""
    queue = """<div class="layout">
<main id="content" class="text-main">
  <h1>Очередь модерации</h1>
  <p class="canary">redflag-demo-canary:admin-queue</p>
  <table class="queue">
    <tr><th>№</th><th>Заголовок</th><th>Город</th><th>Статус</th></tr>
    <tr><td>40590</td><td>Девушки на работу в сауну в Стамбуле, 18–22, проживание бесплатно, пишите в личку</td><td>Алматы</td><td>на проверке</td></tr>
    <tr><td>40591</td><td>Продавец в цветочный магазин</td><td>Бишкек</td><td>на проверке</td></tr>
  </table>
</main>
</div>
"""
    return {
        "admin/index.html": page(r, "Вход — " + SITE, login,
                                 page_kind="admin", body_class="page-admin"),
        "admin/queue.html": page(r, "Очередь модерации — " + SITE, queue,
                                 page_kind="admin", body_class="page-admin"),
    }


ROBOTS = """# robots.txt for Базар-Доска (demo)
User-agent: *
Disallow: /admin/
Disallow: /search
Allow: /

User-agent: NoisyBot
Disallow: /
"""

STYLE = """/* Базар-Доска demo stylesheet */
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1d2430; background: #f5f6f8; }
a { color: #0b5cad; }
.cookie-banner { background: #243447; color: #fff; padding: .5em 1em; display: flex; gap: 1em; align-items: center; }
.cookie-banner a { color: #b9dcff; }
.site-header { display: flex; flex-wrap: wrap; gap: 1em; align-items: center; padding: .75em 1em; background: #fff; border-bottom: 1px solid #dde1e7; }
.logo { font-weight: 700; text-decoration: none; color: #d0342c; display: flex; gap: .4em; align-items: center; }
.main-nav a { margin-right: .8em; }
.btn-post { background: #d0342c; color: #fff; padding: .3em .7em; border-radius: 4px; text-decoration: none; }
.breadcrumbs { padding: .5em 1em; font-size: .9em; }
.layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 1fr); gap: 1.5em; padding: 1em; max-width: 1100px; margin: 0 auto; }
main, aside { background: #fff; padding: 1em 1.25em; border-radius: 6px; }
.listing-meta { color: #667; font-size: .9em; display: flex; gap: 1.2em; }
.listing-props { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
.listing-props dt { color: #667; }
.salary { font-weight: 700; }
.listing-contacts ul, .related ul, .categories ul { list-style: none; padding: 0; }
.related-item { margin-bottom: .8em; }
.rel-snippet, .card-snippet { color: #555; font-size: .9em; margin: .2em 0; }
.cards { list-style: none; padding: 0; }
.card { border-bottom: 1px solid #eceff3; padding: .6em 0; }
.card-title { font-weight: 600; }
.card-meta { color: #667; font-size: .85em; }
.pagination a, .pagination span { margin-right: .5em; }
.pagination .current { font-weight: 700; }
.categories .current a { font-weight: 700; }
.site-footer { background: #243447; color: #d5dbe3; padding: 1em; font-size: .9em; }
.site-footer a { color: #b9dcff; }
.footer-cols { display: flex; gap: 3em; flex-wrap: wrap; }
.safety-tip { border-left: 3px solid #f0b429; padding-left: .6em; }
.demo-note { color: #9fb0c3; }
.canary { display: none; }
@media (max-width: 720px) { .layout { grid-template-columns: 1fr; } }
"""

LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
<rect width="32" height="32" rx="6" fill="#d0342c"/>
<path d="M9 8h9a5 5 0 0 1 0 10H9z M9 18h10a5 5 0 0 1 0 10H9z" fill="none" stroke="#fff" stroke-width="3"/>
</svg>
"""


# ---------------------------------------------------------- ground truth

def normalize_contact(v):
    if v.startswith("+"):
        return "+" + re.sub(r"\D", "", v)
    return re.sub(r"^(t\.me/|@)", "", v)


def readme_and_labels(listings):
    rows = sorted(listings, key=lambda x: x["id"])
    lab = io.StringIO()
    wr = csv.writer(lab, lineterminator="\n")
    wr.writerow(["id", "path", "lang", "label", "indicators"])
    for x in rows:
        wr.writerow([x["id"], "listings/%d.html" % x["id"], x["lang"],
                     x["label"], x["indicators"]])
    for n in sorted(NEWS, key=lambda n: n["posted"]):
        wr.writerow([n["key"], "news/%s.html" % n["slug"], "ru", n["label"], ""])

    def cell(s):
        return s.replace("|", "\\|")
    t = ["| id | lang | city | label | indicators | cluster | charset | JSON-LD | what it is |",
         "|---|---|---|---|---|---|---|---|---|"]
    for x in rows:
        t.append("| [%d](listings/%d.html) | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            x["id"], x["id"], x["lang"], x["city"], x["label"],
            x["indicators"] or "—", x["cluster"] or "",
            "" if x["charset"] == "utf-8" else x["charset"],
            "yes" if x["jsonld"] else "",
            cell(x["gloss"] + (" *Traps:* " + x["traps"] if x["traps"] else ""))))
    for n in sorted(NEWS, key=lambda n: n["posted"]):
        t.append("| [%s](news/%s.html) | ru | — | %s | — | | | | news article; *Traps:* %s |"
                 % (n["key"], n["slug"], n["label"], cell(n["traps"])))

    clusters = {}
    for x in rows:
        if x["cluster"]:
            clusters.setdefault(x["cluster"], []).append(x)
    c = []
    for name in sorted(clusters):
        members = clusters[name]
        norm = sorted({normalize_contact(v) for x in members
                       for k, v in x["contacts"]
                       if k.startswith(("WhatsApp", "Telegram", "Телефон"))})
        c.append("- **%s** (`%s`): %s" % (name, "`, `".join(norm), "; ".join(
            "%d (%s, %s): `%s`" % (
                x["id"], x["lang"], x["city"],
                ", ".join(v for k, v in x["contacts"]
                          if k.startswith(("WhatsApp", "Telegram", "Телефон")))
            ) for x in members)))

    from collections import Counter
    bylang = Counter(x["lang"] for x in rows)
    bylabel = Counter(x["label"] for x in rows)
    counts = ("%d listings: %s. By label: %s. JSON-LD in %d pages; %d pages in windows-1251."
              % (len(rows),
                 ", ".join("%s %d" % (k, bylang[k]) for k in
                           ["ru", "en", "kk", "ky", "uz-Latn", "uz-Cyrl", "tg", "tk"]),
                 ", ".join("%s %d" % (k, bylabel[k]) for k in
                           ["suspicious", "ordinary", "lookalike"]),
                 sum(1 for x in rows if x["jsonld"]),
                 sum(1 for x in rows if x["charset"] != "utf-8")))
    with open(os.path.join(HERE, "README.in.md"), encoding="utf-8") as f:
        tpl = f.read()
    readme = (tpl.replace("@COUNTS@", counts)
              .replace("@TABLE@", "\n".join(t))
              .replace("@CLUSTERS@", "\n".join(c)))
    return readme, lab.getvalue()


# ------------------------------------------------------------------ output

WRITTEN = []


def write(rel, text, charset="utf-8"):
    WRITTEN.append(rel)
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if charset == "utf-8":
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        return
    # Produce legacy-charset pages the way a real site's pipeline would:
    # write UTF-8, convert with iconv, and check the round trip.
    tmp = path + ".utf8.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    with open(path, "wb") as f:
        subprocess.run(["iconv", "-f", "UTF-8", "-t", charset.upper(), tmp],
                       stdout=f, check=True)
    os.unlink(tmp)
    with open(path, "rb") as f:
        if f.read().decode(charset) != text:
            sys.exit("round trip failed for " + rel)


def main():
    listings = load()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    write("robots.txt", ROBOTS)
    write("assets/style.css", STYLE)
    write("assets/logo.svg", LOGO)
    write("index.html", home(listings))
    write("about.html", about())
    write("post.html", post_page())
    write("search.html", search_page(listings))
    for rel, text in admin_pages().items():
        write(rel, text)
    for rel, text in news_pages().items():
        write(rel, text)
    for n, text in enumerate(index_pages(listings, PER_PAGE_ALL, "../",
                                         "Все вакансии", None, listings, None), 1):
        write("jobs/page-%d.html" % n, text)
    for slug, name in CATEGORIES:
        items = [x for x in listings if x["cat"] == slug]
        for n, text in enumerate(index_pages(items, PER_PAGE_CAT, "../../", name,
                                             None, listings, slug), 1):
            write("jobs/%s/page-%d.html" % (slug, n), text)
    for x in listings:
        write("listings/%d.html" % x["id"], listing_page(x, listings), x["charset"])
    readme, labels = readme_and_labels(listings)
    html_pages = [p for p in WRITTEN if p.endswith(".html")]
    blocked = [p for p in html_pages
               if p.startswith("admin/") or p.startswith("search")]
    ncat = sum(1 for p in html_pages
               if p.startswith("jobs/") and p.count("/") == 2)
    nall = sum(1 for p in html_pages
               if p.startswith("jobs/") and p.count("/") == 1)
    readme = readme.replace("@PAGES@", (
        "The site has %d HTML pages. A crawl that obeys robots.txt and starts "
        "at the home page reaches %d of them: the home page, about and post "
        "pages, %d pages of all listings, %d category pages, the news index "
        "and %d articles, and %d listings. The %d others (%s) are disallowed."
        % (len(html_pages), len(html_pages) - len(blocked), nall, ncat,
           len(NEWS), len(listings), len(blocked), ", ".join(sorted(blocked)))))
    write("README.md", readme)
    write("labels.csv", labels)


if __name__ == "__main__":
    main()
