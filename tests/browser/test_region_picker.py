"""The region type-ahead on a 375 px phone: typing finds a regency by any word of its name,
the keyboard chooses it, and the province and institution follow."""

from tests.browser.conftest import PHONE, screenshot

REQUEST = "/visits/request"  # the same field as on the registration form, always open


def test_typing_part_of_a_name_finds_the_regency_and_the_keyboard_chooses_it(
    live_server, browser_page
):
    page = browser_page(PHONE)
    page.goto(live_server.url + REQUEST)
    assert page.locator("#region_code").is_hidden()  # the select carries the choice
    search = page.locator("#region_code-search")
    assert page.locator("label[for=region_code-search]").count() == 1
    search.click()
    search.press_sequentially("kab SÉRUYAN")
    listbox = page.locator("#region_code-list")
    assert listbox.is_visible()
    active = page.locator("#region_code-list [aria-selected=true]")
    assert "Kabupaten Seruyan" in active.inner_text()
    assert "Kalimantan Tengah" in active.inner_text() and "WIB" in active.inner_text()
    assert search.get_attribute("aria-activedescendant") == active.get_attribute("id")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the open list scrolls sideways by {overflow}px"
    screenshot(page, "region-picker-phone")
    search.press("Enter")
    assert listbox.is_hidden()
    assert page.locator("#region_code").input_value() == "62.07"
    assert search.input_value() == "Kabupaten Seruyan (Kalimantan Tengah)"
    assert page.locator("#province").input_value() == "Kalimantan Tengah"
    assert page.locator("#province").get_attribute("readonly") is not None
    assert page.locator("#institution").get_attribute("placeholder") == (
        "Pemerintah Kabupaten Seruyan"
    )

    # Another region by arrow keys among the matches of one word; then none at all.
    search.fill("")
    search.press_sequentially("selayar")
    search.press("ArrowDown")
    search.press("ArrowUp")
    search.press("Enter")
    assert page.locator("#region_code").input_value() == "73.01"
    assert page.locator("#province").input_value() == "Sulawesi Selatan"
    search.fill("")
    page.locator("#leader_name").click()  # leaving the emptied box: another institution
    assert page.locator("#region_code").input_value() == ""
    assert page.locator("#province").get_attribute("readonly") is None
