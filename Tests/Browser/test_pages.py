"""Each page in a real browser: content in the DOM, the interactions people use, a screenshot each."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def wait_for_url(browser, fragment):
    WebDriverWait(browser, 10).until(EC.url_contains(fragment))


def texts(browser, css):
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, css)]


def test_dashboard_shows_figures_charts_and_map(server, browser, shot):
    browser.get(server + "/?lang=zh")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    assert browser.find_element(By.TAG_NAME, "h1").text == "国家先进制造业集群"
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 5
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.tilemap a[data-province]")) == 31
    first_row = browser.find_element(By.CSS_SELECTOR, "table.headline tbody tr")
    assert first_row.find_element(By.TAG_NAME, "th").text == "国家级集群"
    assert first_row.find_elements(By.TAG_NAME, "td")[0].text == "78"
    shot("dashboard-zh")


def test_as_of_control_redraws_for_2022(server, browser, shot):
    browser.get(server + "/?lang=zh")
    browser.find_element(By.LINK_TEXT, "2022-11-30").click()
    wait_for_url(browser, "as_of=2022-11-30")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.headline tbody tr")
    values = {r.find_element(By.TAG_NAME, "th").text: r.find_elements(By.TAG_NAME, "td")[0].text for r in rows}
    assert values["国家级集群"] == "45"
    assert values["涉及省份"] == "19"
    assert values["东部"] == "30"
    assert len(browser.find_elements(By.CSS_SELECTOR, "td.agrees")) == 9
    hubei = browser.find_element(By.CSS_SELECTOR, 'svg.tilemap a[data-province="42"]')
    assert hubei.get_attribute("aria-label") == "湖北省: 2"
    shot("dashboard-2022-11-30")


def test_map_cell_leads_to_its_province(server, browser, shot):
    browser.get(server + "/?lang=zh&as_of=2022-11-30")
    cell = browser.find_element(By.CSS_SELECTOR, 'svg.tilemap a[data-province="44"] rect')
    cell.click()
    wait_for_url(browser, "/provinces/44")
    assert browser.find_element(By.TAG_NAME, "h1").text == "广东省"
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.cluster-list li")) == 7
    shot("province-44")


def test_directory_narrows_by_a_facet(server, browser, shot):
    browser.get(server + "/clusters?lang=zh")
    assert "共 78 个集群符合条件" in browser.find_element(By.CSS_SELECTOR, "p.lead").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.clusters tbody tr")) == 50
    link = browser.find_element(By.XPATH, '//section[@data-facet="province"]//a[starts-with(normalize-space(.), "广东省")]')
    link.click()
    wait_for_url(browser, "province=44")
    assert "共 8 个集群符合条件" in browser.find_element(By.CSS_SELECTOR, "p.lead").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.clusters tbody tr")) == 8
    selected = browser.find_element(By.CSS_SELECTOR, 'section[data-facet="province"] a.selected')
    assert selected.text.startswith("广东省")
    # A second facet narrows further; the CSV link carries both filters.
    browser.find_element(By.XPATH, '//section[@data-facet="domain"]//a[starts-with(normalize-space(.), "新一代信息技术")]').click()
    wait_for_url(browser, "domain=next_gen_it")
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.clusters tbody tr")) == 3
    csv = browser.find_element(By.PARTIAL_LINK_TEXT, "CSV").get_attribute("href")
    assert "province=44" in csv and "domain=next_gen_it" in csv and "format=csv" in csv
    shot("directory-guangdong-it")


def test_search_and_sort(server, browser):
    browser.get(server + "/clusters?lang=zh")
    box = browser.find_element(By.ID, "q")
    box.send_keys("武汉")
    browser.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
    wait_for_url(browser, "q=")
    assert texts(browser, "table.clusters tbody td:first-child") == ["NC026", "NC027"]


def test_language_switch_sticks(server, browser, shot):
    browser.get(server + "/clusters?lang=zh&province=44")
    browser.find_element(By.CSS_SELECTOR, "a.lang-switch").click()
    wait_for_url(browser, "lang=en")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Cluster directory"
    assert "province=44" in browser.current_url
    shot("directory-en")
    browser.get(server + "/clusters/NC038")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Beijing-Tianjin-Hebei life and health cluster"
    browser.get(server + "/?lang=zh")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"


def test_profile_shows_provenance(server, browser, shot):
    browser.get(server + "/clusters/NC038?lang=zh")
    assert browser.find_element(By.TAG_NAME, "h1").text == "京津冀生命健康集群"
    assert len(browser.find_elements(By.CSS_SELECTOR, "ol.sources a")) >= 1
    assert "可信度" in browser.find_element(By.ID, "provenance-title").find_element(By.XPATH, "..").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.tilemap rect.hl")) == 3
    assert browser.find_element(By.CSS_SELECTOR, "ol.timeline time").get_attribute("datetime") == "2022-11-30"
    shot("cluster-NC038")


def test_figures_page(server, browser, shot):
    browser.get(server + "/figures?lang=en")
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.figures tbody tr")) == 22
    assert len(browser.find_elements(By.CSS_SELECTOR, "td.disagrees")) == 3
    shot("figures-en")


def test_error_page_has_a_way_back(server, browser, shot):
    browser.get(server + "/clusters/NC999?lang=zh")
    assert browser.find_element(By.TAG_NAME, "h1").text == "404 未找到"
    browser.find_element(By.LINK_TEXT, "返回首页").click()
    WebDriverWait(browser, 10).until(EC.url_to_be(server + "/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "国家先进制造业集群"
    browser.get(server + "/clusters?tier=gold")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("400")
    shot("error-400")


def test_phone_width_has_no_sideways_scroll(server, browser, shot):
    browser.set_window_size(390, 900)
    try:
        for path in ["/?lang=zh", "/clusters?lang=zh", "/clusters/NC060?lang=en", "/ratings?lang=en", "/indicators?lang=zh"]:
            browser.get(server + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
        shot("phone-cluster-NC060", width=390)
    finally:
        browser.set_window_size(1280, 1600)
