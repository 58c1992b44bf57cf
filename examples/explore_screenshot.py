"""The screenshot of the explore page in the README and the gallery, taken in headless
Chromium (playwright driving the Debian ``chromium`` package, the network blocked):

    python examples/explore_screenshot.py [OUT.png]

It writes the page of ``actviz explore hard_sigmoid hard_sigmoid:pytorch sigmoid`` to a
temporary folder, opens it with the hash ``#show=f,df`` added, and saves the top of the page
(default ``gallery/explore/explore.png``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

COMMAND = ["hard_sigmoid", "hard_sigmoid:pytorch", "sigmoid"]
STATE = "act=hard_sigmoid&alpha=0.2&beta=0.5&show=f,df&with=hard_sigmoid:pytorch,sigmoid"


def main(out: str = os.path.join("gallery", "explore", "explore.png")) -> str:
    from playwright.sync_api import sync_playwright

    from actviz.explore import build

    exe = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
    if exe is None:
        raise SystemExit("needs Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page_path = os.path.join(tmp, "explore.html")
        build(COMMAND).write(page_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                       else r.abort())
            page.goto(f"file://{page_path}#{STATE}")
            page.wait_for_function("window.actvizExplore && window.actvizExplore.last()")
            page.wait_for_timeout(1000)  # MathJax typesets the formulas
            os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
            page.screenshot(path=out)
            browser.close()
    print(f"wrote {out}")
    return out


if __name__ == "__main__":
    main(*sys.argv[1:])
