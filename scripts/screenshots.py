"""Screenshots of planner's pages in headless Debian Chromium, to look at them as users do.

Usage: .venv/bin/python scripts/screenshots.py BASE_URL OUT_DIR [--lang id|en] [PAGE ...]

Logs in with the demo staff account for /staff pages. PAGE is `name=path`, e.g.
`editor=/staff/programs/studi-tiru-banyuwangi`; without pages, a standard set is taken.
Each page is shot at 375x812 (phone) and 1280x800 (desk), full length and first screen.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from planner.demo import DEMO_PASSWORD, DEMO_SLUG, DEMO_STAFF_EMAIL

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"phone": (375, 812), "desk": (1280, 800)}
DEFAULT_PAGES = {
    "home": "/",
    "program": f"/programs/{DEMO_SLUG}",
    "login": "/staff/login",
    "dashboard": "/staff/",
    "editor": f"/staff/programs/{DEMO_SLUG}",
    "calendar": "/staff/calendar",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    parser.add_argument("pages", nargs="*")
    args = parser.parse_intermixed_args()
    pages = dict(page.split("=", 1) for page in args.pages) or DEFAULT_PAGES
    args.out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size_name, (width, height) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale=args.lang
            )
            context.add_cookies([{"name": "lang", "value": args.lang, "url": args.base_url}])
            page = context.new_page()
            if any(path.startswith("/staff") for path in pages.values()):
                page.goto(args.base_url + "/staff/login")
                page.fill("#email", DEMO_STAFF_EMAIL)
                page.fill("#password", DEMO_PASSWORD)
                page.click("button[type=submit]")
            for name, path in pages.items():
                page.goto(args.base_url + path)
                target = args.out_dir / f"{name}-{args.lang}-{size_name}.png"
                page.screenshot(path=str(target), full_page=True)
                first_screen = args.out_dir / f"{name}-{args.lang}-{size_name}-screen.png"
                page.screenshot(path=str(first_screen))
                print(target, first_screen)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
