import Foundation

/// A notice or news item about the programme, linked to clusters and tagged.
public struct Announcement: Hashable, Sendable {
    public let id: String
    public let titleZh: String
    public let titleEn: String
    public let bodyZh: String
    public let bodyEn: String
    public let source: String
    public let sourceURL: String?
    public let publishedOn: Day
    public let tags: [String]
    public let clusterIDs: [String]
    /// Bumped by every edit; an update must name the version it read.
    public var version: Int

    public init(
        id: String, titleZh: String, titleEn: String, bodyZh: String, bodyEn: String, source: String,
        sourceURL: String?, publishedOn: Day, tags: [String], clusterIDs: [String], version: Int = 1
    ) {
        self.version = version
        self.id = id
        self.titleZh = titleZh
        self.titleEn = titleEn
        self.bodyZh = bodyZh
        self.bodyEn = bodyEn
        self.source = source
        self.sourceURL = sourceURL
        self.publishedOn = publishedOn
        self.tags = tags
        self.clusterIDs = clusterIDs
    }

    /// Other announcements sharing tags or clusters, most shared first, then newest.
    public static func related(to item: Announcement, among all: [Announcement], limit: Int = 5) -> [Announcement] {
        func score(_ other: Announcement) -> Int {
            let tags = Set(other.tags).intersection(item.tags).count
            let clusters = Set(other.clusterIDs).intersection(item.clusterIDs).count
            return tags * 2 + clusters
        }
        let scored: [(Announcement, Int)] = all.filter { $0.id != item.id }.map { ($0, score($0)) }.filter { $0.1 > 0 }
        let ordered = scored.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : a.0.publishedOn > b.0.publishedOn }
        return Array(ordered.prefix(limit).map(\.0))
    }

    /// Most read over a window, from daily counts per announcement (no per-person data exists).
    public static func mostRead(_ counts: [(id: String, day: Day, views: Int)], since: Day, limit: Int = 5) -> [(
        id: String, views: Int
    )] {
        var total: [String: Int] = [:]
        for c in counts where c.day >= since { total[c.id, default: 0] += c.views }
        return total.filter { $0.value > 0 }.map { (id: $0.key, views: $0.value) }
            .sorted { $0.views != $1.views ? $0.views > $1.views : $0.id < $1.id }.prefix(limit).map { $0 }
    }

    /// Requests from programs that announce themselves as crawlers are not counted as reads.
    public static func isBot(userAgent: String?) -> Bool {
        guard let ua = userAgent?.lowercased(), !ua.isEmpty else { return true }
        return ["bot", "crawl", "spider", "slurp", "preview", "headless", "monitor", "curl", "wget", "python-requests"]
            .contains { ua.contains($0) }
    }

    /// The Atom feed of the announcements, newest first. `base` is the site's absolute address.
    public static func atom(_ items: [Announcement], base: String, updated: Day) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var xml = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        xml += #"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hans">"#
        xml += "<title>集群梯次培育平台 · 公告与动态</title>"
        xml += "<id>\(esc(base))/announcements</id>"
        xml += #"<link rel="self" href="\#(esc(base))/announcements.atom"/>"#
        xml += #"<link href="\#(esc(base))/announcements"/>"#
        xml += "<updated>\(updated.iso)T00:00:00+08:00</updated>"
        xml += "<author><name>ClusterLadder</name></author>"
        for item in items.sorted(by: { $0.publishedOn > $1.publishedOn }) {
            xml += "<entry><title>\(esc(item.titleZh))</title>"
            xml += "<id>\(esc(base))/announcements/\(esc(item.id))</id>"
            xml += #"<link href="\#(esc(base))/announcements/\#(esc(item.id))"/>"#
            xml += "<updated>\(item.publishedOn.iso)T00:00:00+08:00</updated>"
            for tag in item.tags { xml += #"<category term="\#(esc(tag))"/>"# }
            xml += #"<summary type="text">\#(esc(item.bodyZh))</summary></entry>"#
        }
        return xml + "</feed>\n"
    }
}
