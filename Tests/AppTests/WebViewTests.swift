import ClusterDomain
import Foundation
import Testing

import struct Plot.HTML
import struct Plot.Node

@testable import App

/// Pages rendered from models built on the shipped data, without a server or a database.
@Suite struct WebViewTests {
    static let reference: ReferenceData = {
        do { return try DataFiles.reference() } catch { preconditionFailure("\(error)") }
    }()
    static let registry: Registry = {
        do {
            return Registry(reference: reference, clusters: try DataFiles.nationalClusters(reference: reference))
        } catch {
            preconditionFailure("\(error)")
        }
    }()
    static let figures: [PublishedFigure] = {
        do { return try DataFiles.publishedFigures() } catch { preconditionFailure("\(error)") }
    }()
    static let today = Day("2026-11-24")!
    static let listDay = Day("2022-11-30")!

    func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

    @Test func dashboardAsOfTheAnnouncementInChinese() {
        let model = DashboardPage.Model(
            registry: Self.registry, figures: Self.figures, asOf: Self.listDay, today: Self.today)
        let html = DashboardPage.view(model, PageContext(lang: .zh, switchHref: "/?as_of=2022-11-30&lang=en")).render()
        #expect(html.contains("<html lang=\"zh-Hans\">"))
        #expect(html.contains("主要数字 · 2022-11-30"))
        // Headline rows: registry value, published value, and the check.
        #expect(html.contains("<th scope=\"row\">国家级集群</th><td class=\"num\">45</td><td class=\"num\">45 "))
        #expect(html.contains("<th scope=\"row\">东部</th><td class=\"num\">30</td>"))
        #expect(count("<td class=\"agrees\">一致", in: html) == 9)
        // Four charts, the trend and the map, each titled for assistive technology.
        #expect(count("<svg class=\"chart\"", in: html) == 5)
        // The charts whose bars are links and the map are groups of links; the trend is an image.
        #expect(count("role=\"group\"", in: html) == 5)
        #expect(count("role=\"img\"", in: html) == 1)
        // The trend: none at the end of 2021, the 45 as of the announcement day.
        #expect(html.contains("<title>2021 年: 0</title>"))
        #expect(html.contains("<title>2022 年: 45</title>"))
        #expect(html.contains("<title id=\"by-domain-title\">按领域</title>"))
        #expect(html.contains(">新一代信息技术</text>"))
        #expect(html.contains("class=\"value\">12</text>"))
        #expect(count("data-province=", in: html) == 31)
        #expect(html.contains("href=\"/provinces/44?as_of=2022-11-30\" aria-label=\"广东省: 7\""))
        #expect(html.contains("href=\"/clusters?as_of=2022-11-30&amp;region=east&amp;tier=national\""))
        #expect(count("class=\"swatch", in: html) == 5)
        #expect(html.contains("href=\"/?as_of=2022-11-30&amp;lang=en\""))
        #expect(html.contains("name=\"as_of\" value=\"2022-11-30\""))
    }

    @Test func dashboardTodayInEnglishShowsTheDisagreement() {
        let model = DashboardPage.Model(
            registry: Self.registry, figures: Self.figures, asOf: Self.today, today: Self.today)
        let html = DashboardPage.view(model, PageContext(lang: .en)).render()
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("<th scope=\"row\">National clusters</th><td class=\"num\">78</td><td class=\"num\">80 "))
        #expect(html.contains("<td class=\"disagrees\">Disagrees (registry on 2024-12-17: 78)</td>"))
        #expect(html.contains("href=\"/provinces/44\" aria-label=\"Guangdong: 8\""))
        #expect(html.contains(">GD</text>"))
        #expect(!html.contains("主要数字"))
    }

    @Test func dashboardBeforeAnyDesignationSaysNothingWasPublished() {
        let day = Day("2021-06-01")!
        let model = DashboardPage.Model(registry: Self.registry, figures: Self.figures, asOf: day, today: Self.today)
        let html = DashboardPage.view(model, PageContext(lang: .en)).render()
        #expect(count("nothing published by this day", in: html) == 9)
        #expect(html.contains("<td class=\"num\">0</td>"))
    }

    func directory(_ params: [String: String], lang: Language = .zh) throws -> String {
        let query = try ClusterQuery.parse(params, reference: Self.reference, today: Self.today)
        let model = DirectoryPage.Model(registry: Self.registry, query: query, params: params)
        return DirectoryPage.view(model, PageContext(lang: lang)).render()
    }

    @Test func directoryFacetsNarrowAndKeepTheFiltersInLinks() throws {
        let html = try directory(["province": "44", "domain": "next_gen_it"], lang: .en)
        #expect(html.contains("As of 2026-11-24, 3 clusters match."))
        for id in ["NC001", "NC005", "NC006"] { #expect(html.contains("<td>\(id)</td>")) }
        #expect(!html.contains("<td>NC003</td>"))
        // Six facet panels with counts over the filtered set.
        #expect(count("class=\"facet\" data-facet=", in: html) == 6)
        #expect(html.contains("data-facet=\"key_region\""))
        // The selected value links to the view without it; others add themselves.
        #expect(
            html.contains(
                "href=\"/clusters?domain=next_gen_it\" aria-current=\"true\" class=\"selected\">Guangdong<span class=\"count\"> 3</span>"
            ))
        #expect(
            html.contains(
                "href=\"/clusters?domain=next_gen_it&amp;province=44&amp;region=east\">East<span class=\"count\"> 3</span>"
            ))
        #expect(html.contains("href=\"/api/v1/clusters?domain=next_gen_it&amp;province=44\""))
        #expect(html.contains("href=\"/api/v1/clusters?domain=next_gen_it&amp;format=csv&amp;province=44\""))
        #expect(html.contains("Province: Guangdong ✕"))
        #expect(html.contains("<input type=\"hidden\" name=\"domain\" value=\"next_gen_it\"/>"))
    }

    @Test func directoryPagesAndSearches() throws {
        let html = try directory(["per_page": "20", "page": "2", "sort": "-designated_on"])
        #expect(html.contains("第 2 页，共 4 页"))
        #expect(html.contains("href=\"/clusters?per_page=20&amp;sort=-designated_on\" rel=\"prev\""))
        #expect(html.contains("href=\"/clusters?page=3&amp;per_page=20&amp;sort=-designated_on\" rel=\"next\""))
        #expect(html.contains("<option value=\"-designated_on\" selected=\"selected\">"))
        let search = try directory(["q": "武汉"])
        #expect(search.contains("共 2 个集群符合条件"))
        #expect(search.contains("武汉市光电子信息集群"))
        let none = try directory(["q": "<script>alert(1)</script>"])
        #expect(none.contains("没有符合条件的集群。"))
        #expect(!none.contains("<script>alert"))
        #expect(none.contains("&lt;script&gt;"))
    }

    @Test func profileShowsMembersHistoryAndProvenance() throws {
        let cluster = try #require(Self.registry.clusters.first { $0.id == "NC038" })
        let model = ClusterProfilePage.Model(registry: Self.registry, cluster: cluster, asOf: Self.today)
        let zh = ClusterProfilePage.view(model, PageContext(lang: .zh)).render()
        #expect(zh.contains("<h1>京津冀生命健康集群</h1>"))
        #expect(zh.contains("Beijing-Tianjin-Hebei life and health cluster"))
        #expect(zh.contains("京津冀"))
        #expect(count("class=\"cell hl\"", in: zh) == 3)
        #expect(zh.contains("<time datetime=\"2022-11-30\">2022-11-30</time>"))
        #expect(zh.contains("可信度："))
        for url in cluster.sources {
            #expect(zh.contains("href=\"\(url.replacingOccurrences(of: "&", with: "&amp;"))\""))
        }
        #expect(zh.contains("Hebei member cities are not named"))
        #expect(zh.contains("href=\"/api/v1/clusters/NC038\""))
        let en = ClusterProfilePage.view(model, PageContext(lang: .en)).render()
        #expect(en.contains("<h1>Beijing-Tianjin-Hebei life and health cluster</h1>"))
        #expect(en.contains("Beijing–Tianjin–Hebei"))
    }

    @Test func profileOfAClusterBeforeItsDesignation() throws {
        let cluster = try #require(Self.registry.clusters.first { $0.id == "NC001" })
        let model = ClusterProfilePage.Model(registry: Self.registry, cluster: cluster, asOf: Day("2021-06-01")!)
        let html = ClusterProfilePage.view(model, PageContext(lang: .en)).render()
        #expect(html.contains("No tier · Competition winner"))
        #expect(html.contains("<time datetime=\"2021-03\">2021-03</time>"))
    }

    @Test func provincePageCountsAsOfADay() throws {
        let hebei = try #require(Self.reference.province(code: "13"))
        let model = ProvincePage.Model(registry: Self.registry, province: hebei, asOf: Self.listDay, today: Self.today)
        #expect(model.rows.map(\.cluster.id) == ["NC038", "NC039"])
        #expect(model.single == 1 && model.cross == 1)
        let html = ProvincePage.view(model, PageContext(lang: .zh)).render()
        #expect(html.contains("<h1>河北省</h1>"))
        #expect(html.contains("京津冀"))
        #expect(html.contains("href=\"/clusters/NC039?as_of=2022-11-30\""))
        #expect(html.contains("href=\"/clusters?as_of=2022-11-30&amp;province=13\""))
    }

    @Test func figuresPageListsEveryFigureWithItsSource() {
        let rows = Self.registry.reconcile(Self.figures)
        let html = FiguresPage.view(FiguresPage.Model(rows: rows), PageContext(lang: .en)).render()
        #expect(count("<tr id=", in: html) == 22)
        #expect(count("<td class=\"disagrees\">", in: html) == 3)
        #expect(count("<td class=\"not_derivable\">", in: html) == 6)
        #expect(html.contains("<td class=\"num\">19 trillion yuan</td>"))
        #expect(html.contains("<td class=\"num\">≥1700</td>"))
        #expect(html.contains("<td class=\"num\">2/3</td>"))
        let zh = FiguresPage.view(FiguresPage.Model(rows: rows), PageContext(lang: .zh)).render()
        #expect(zh.contains("<td class=\"num\">1700余家</td>"))
        #expect(zh.contains("<td class=\"num\">19万亿元</td>"))
        #expect(html.contains("href=\"http://cflp.org.cn/zixun/202412/17/642440.shtml\""))
        #expect(html.contains("2022-11-30 (data for 2021)"))
    }

    /// An option meaning "none" or "all" sends an empty value, not its label (a browser sends the
    /// label of an option that has no value attribute).
    @Test func anEmptyOptionSendsAnEmptyValue() {
        let html = Node<HTML.BodyContext>.form(
            FormFields.select(.zh, "rule_indicator", "门槛", "Threshold", [("", "不设"), ("output", "产值")], "", [:])
        ).render()
        // `<option value>` is an empty value in HTML.
        #expect(html.contains(#"<option value selected="selected">不设</option>"#))
    }

    @Test func errorPagesInBothLanguagesWithAWayBack() {
        let zh = ErrorPage.render(code: 404, reason: "没有这个集群", lang: .zh)
        #expect(zh.contains("<h1>404 未找到</h1>"))
        // A Chinese page speaks Chinese only; the English one English only.
        #expect(!zh.contains("Not found"))
        #expect(zh.contains("href=\"/\""))
        let en = ErrorPage.render(code: 500, reason: "internal error", lang: .en)
        #expect(en.contains("<h1>500 Server error</h1>"))
        #expect(!en.contains("服务器错误"))
        let bad = ErrorPage.render(code: 400, reason: "<b>x</b>", lang: .en)
        #expect(bad.contains("&lt;b&gt;x&lt;/b&gt;"))
    }

    @Test func svgEscapesTextAndShortensLongLabels() {
        let svg = SVG.barChart(
            id: "t", title: "A & <B>", bars: [SVG.Bar(label: "\"><script>", value: 3, href: "/x?a=1&b=2")])
        #expect(svg.contains("<title id=\"t-title\">A &amp; &lt;B&gt;</title>"))
        #expect(svg.contains("&quot;&gt;&lt;script&gt;"))
        #expect(svg.contains("href=\"/x?a=1&amp;b=2\""))
        #expect(!svg.contains("<script>"))
        #expect(SVG.shorten("第一批（竞赛第一轮决赛优胜者）", toWidth: 20) == "第一批（竞赛第一轮…")
        #expect(SVG.shorten("East", toWidth: 20) == "East")
    }

    @Test func tileMapPlacesEveryProvinceOnItsOwnCell() {
        #expect(TileMap.cells.count == 31)
        #expect(Set(Self.reference.provinces.map(\.code)) == Set(TileMap.cells.keys))
        let places = TileMap.cells.values.map { "\($0.col),\($0.row)" }
        #expect(Set(places).count == 31)
        #expect(
            TileMap.bucket(0) == 0 && TileMap.bucket(1) == 1 && TileMap.bucket(3) == 2 && TileMap.bucket(7) == 3
                && TileMap.bucket(14) == 4)
    }

    @Test(
        arguments: [
            (nil, Language.zh), ("en-US,en;q=0.9", .en), ("zh-CN,zh;q=0.9,en;q=0.8", .zh),
            ("en;q=0.5, zh-TW;q=0.8", .zh), ("fr-FR, en;q=0.3", .en), ("de", .zh), ("", .zh),
        ] as [(String?, Language)])
    func acceptLanguageOnAFirstVisit(header: String?, expected: Language) {
        #expect(Language.fromAcceptLanguage(header) == expected)
    }

    @Test func queryThenCookieThenHeader() {
        #expect(Language.resolve(query: "en", cookie: "zh", acceptLanguage: "zh") == .en)
        #expect(Language.resolve(query: nil, cookie: "en", acceptLanguage: "zh") == .en)
        #expect(Language.resolve(query: nil, cookie: "xx", acceptLanguage: "en") == .en)
    }
}
