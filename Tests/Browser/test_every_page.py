"""Every page as its readers see it: signed out and as an admin, at 1366 px and at a phone's 390 px
(a screenshot of each), no sideways scroll on the phone, and axe-core (WCAG 2.1 A and AA rules)
finding nothing. axe-core's script comes from PyPI's `axe-playwright-python` wheel (installed with
`--no-deps`; only its bundled `axe.min.js` is used, from Selenium)."""
import importlib.resources
import os

import pytest

from test_editing import sign_in

PUBLIC = [
    "/", "/clusters", "/clusters?q=苏州+纳米", "/clusters/NC001", "/clusters/NC060", "/provinces/32", "/figures",
    "/policies", "/policies/POL001", "/cooperation", "/announcements", "/announcements/AN001", "/intake",
    "/rounds", "/indicators", "/ratings", "/login",
]
SIGNED_IN = [
    "/work", "/returns", "/audit", "/account", "/account/two-factor", "/admin/users", "/clusters/new", "/clusters/NC011/edit",
    "/policies/new", "/takeups/new", "/cooperation/new", "/announcements/new",
]
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe():
    try:
        return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text()
    except ModuleNotFoundError:
        if os.environ.get("CI") == "true":
            pytest.fail("axe-core is missing: pip install --no-deps axe-playwright-python")
        pytest.skip("axe-core is missing: pip install --no-deps axe-playwright-python")


def slug(path):
    return path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-").replace("+", "-") or "home"


def violations(browser, axe):
    browser.execute_script(axe)
    found = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
          .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
          .catch(e => done(['axe failed: ' + e]));""",
        RULES)
    return found


def walk(server, browser, shot, axe, paths, who):
    problems = []
    browser.set_script_timeout(60)
    for path in paths:
        sep = "&" if "?" in path else "?"
        for width in (1366, 390):
            browser.set_window_size(width, 900)
            browser.get(server + path + sep + "lang=zh")
            if width == 390:
                overflow = browser.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 1:
                    problems.append(f"{who} {path} at 390 px scrolls sideways by {overflow}px")
            else:
                problems += [f"{who} {path}: {v}" for v in violations(browser, axe)]
            shot(f"page-{who}-{slug(path)}-{width}", width=width)
    browser.set_window_size(1280, 1600)
    return problems


def test_every_page_signed_out(server, browser, shot, axe):
    browser.delete_all_cookies()
    problems = walk(server, browser, shot, axe, PUBLIC, "public")
    assert not problems, "\n".join(problems)


def test_every_page_signed_in(server, browser, shot, axe):
    sign_in(server, browser, "admin@example.org")
    problems = walk(server, browser, shot, axe, PUBLIC + SIGNED_IN, "admin")
    assert not problems, "\n".join(problems)
