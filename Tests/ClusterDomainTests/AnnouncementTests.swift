import Foundation
import Testing

@testable import ClusterDomain

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct AnnouncementTests {
    let items: [Announcement] = {
        do { return try DataFiles.announcements(clusterIDs: Set(Shipped.clusters.map(\.id))) } catch {
            preconditionFailure("\(error)")
        }
    }()

    @Test func relatedBySharedTagsAndClusters() throws {
        let list2022 = try #require(items.first { $0.id == "AN001" })
        #expect(Announcement.related(to: list2022, among: items).map(\.id) == ["AN003"])
        let alliance = try #require(items.first { $0.id == "AN004" })
        #expect(Announcement.related(to: alliance, among: items).isEmpty)
    }

    @Test func mostReadCountsOnlyTheWindowAndKeepsNoPeople() {
        let counts: [(id: String, day: Day, views: Int)] = [
            ("AN001", day("2026-11-01"), 5), ("AN001", day("2026-11-20"), 2), ("AN003", day("2026-11-20"), 4),
            ("AN004", day("2026-09-01"), 100),
        ]
        let ranking = Announcement.mostRead(counts, since: day("2026-10-25"))
        #expect(ranking.map(\.id) == ["AN001", "AN003"])
        #expect(ranking.map(\.views) == [7, 4])
    }

    @Test(arguments: [
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36", false),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", true), ("Baiduspider", true), ("curl/8.0", true),
        ("Mozilla/5.0 HeadlessChrome/120.0", true), ("", true),
    ])
    func botsAreNotCounted(agent: String, bot: Bool) {
        #expect(Announcement.isBot(userAgent: agent) == bot)
    }

    @Test func theAtomFeedIsWellFormed() throws {
        let xml = Announcement.atom(
            items + [
                Announcement(
                    id: "X&1", titleZh: "<标题>", titleEn: "t", bodyZh: "a & b", bodyEn: "",
                    source: "s", sourceURL: nil, publishedOn: day("2026-01-01"),
                    tags: ["x\"y"], clusterIDs: [])
            ],
            base: "http://127.0.0.1:8080", updated: day("2026-01-01"))
        final class Collector: NSObject, XMLParserDelegate {
            var entries = 0
            var titles: [String] = []
            var inTitle = false
            var text = ""
            func parser(
                _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]
            ) {
                if name == "entry" { entries += 1 }
                inTitle = name == "title"
                text = ""
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { if inTitle { text += string } }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?)
            {
                if name == "title" {
                    titles.append(text)
                    inTitle = false
                }
            }
        }
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.entries == items.count + 1)
        #expect(collector.titles.contains("<标题>"))
        #expect(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""))
    }
}

@Suite struct AnnouncementDraftTests {
    @Test func everyProblemIsNamedAtOnce() throws {
        let draft = AnnouncementDraft(
            titleZh: " ", titleEn: nil, bodyZh: "正文", bodyEn: nil, source: "", sourceURL: "ftp://x",
            publishedOn: "2026-02-30", tags: ["a/b"], clusters: ["NC001", "XX999"])
        let result = draft.validate(registry: Shipped.registry, intake: nil, today: day("2026-12-07"))
        guard case .failure(let errors) = result else {
            Issue.record("accepted")
            return
        }
        #expect(
            Set(errors.fields.keys) == [
                "title_zh", "source", "source_url", "published_on", "tags", "clusters",
            ])
        // The English title is optional: the Chinese one stands in for it.
    }

    @Test func intakeFillsWhatIsLeftEmpty() throws {
        let draft = AnnouncementDraft(
            titleZh: nil, titleEn: nil, bodyZh: nil, bodyEn: nil, source: "工信部网站", sourceURL: nil,
            publishedOn: nil, tags: nil, clusters: ["NC001"])
        let fill = AnnouncementDraft.FromIntake(
            headline: "关于公布先进制造业集群名单的通知", body: "现将名单公布如下。", statedDay: day("2022-11-30"), maxBody: 1000)
        let (item, clusters) = try draft.validate(registry: Shipped.registry, intake: fill, today: day("2026-12-07"))
            .get()
        #expect(item.titleZh == "关于公布先进制造业集群名单的通知" && item.titleEn == item.titleZh)
        #expect(item.bodyZh == "现将名单公布如下。")
        #expect(item.publishedOn == day("2022-11-30"))
        #expect(clusters.map(\.id) == ["NC001"])
    }
}
