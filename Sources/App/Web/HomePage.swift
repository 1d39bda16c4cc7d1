import ClusterDomain
import Plot

/// `/`: what ClusterLadder is, the headline figures as the registry derives them, and the way to the API.
enum HomePage {
    struct Model {
        /// The registry's figures for a day that published figures describe, and their check.
        struct Published {
            let stats: Statistics
            let reconciliation: [ReconciliationRow]
        }

        let today: Statistics
        let published: [Published]
    }

    static func view(_ m: Model) -> HTML {
        Layout.page(
            title: "首页 Home",
            .h1(.text("国家先进制造业集群登记与开放数据")),
            .p(.class("lead"), .text("集群梯次培育平台记录省级—国家级—世界级集群梯次培育体系中的集群、数据与公开数字。")),
            .p(.class("lead"), .attribute(named: "lang", value: "en"),
               .text("ClusterLadder is the registry and open data of China's national advanced manufacturing clusters, across the provincial → national → world-class tiers.")),
            .section(
                .h2(.text("当前 · Today (\(m.today.asOf.iso))")),
                figures(m.today)
            ),
            .forEach(m.published) { published($0) },
            .section(
                .h2(.text("开放数据接口 · Open-data API")),
                .ul(
                    .li(.a(.href(APIRoute.clusters.path), .code(.text(APIRoute.clusters.path))),
                        .text(" — 集群列表，可筛选、分面、CSV · clusters, filters, facets, CSV")),
                    .li(.a(.href(APIRoute.stats.path + "?as_of=2022-11-30"), .code(.text(APIRoute.stats.path + "?as_of=2022-11-30"))),
                        .text(" — 按日期统计 · statistics as of a date")),
                    .li(.a(.href(APIRoute.figures.path), .code(.text(APIRoute.figures.path))),
                        .text(" — 已公布数字及来源 · published figures with sources")),
                    .li(.a(.href(APIRoute.provinces.path), .code(.text(APIRoute.provinces.path))), .text(" · "),
                        .a(.href(APIRoute.domains.path), .code(.text(APIRoute.domains.path))), .text(" · "),
                        .a(.href(APIRoute.keyRegions.path), .code(.text(APIRoute.keyRegions.path)))),
                    .li(.a(.href(APIRoute.clusters.path + "?format=csv&per_page=200"), .text("下载全部集群 CSV · Download all clusters as CSV"))),
                    .li(.a(.href(APIRoute.openAPI.path), .text("OpenAPI 3.1 文档 · document")))
                )
            )
        )
    }

    static func published(_ p: Model.Published) -> Node<HTML.BodyContext> {
        let day = p.stats.asOf.iso
        let agree = p.reconciliation.filter { $0.outcome == .agrees }.count
        let disagree = p.reconciliation.filter { $0.outcome == .disagrees }
        return .section(
            .h2(.text("截至 \(day) · As of \(day)")),
            figures(p.stats),
            .p(.text("当日已公布数字与登记数据核对：\(agree) 项一致，\(disagree.count) 项不一致。"),
               .span(.attribute(named: "lang", value: "en"),
                     .text(" Figures published for this day checked against the registry: \(agree) agree, \(disagree.count) disagree."))),
            .if(!disagree.isEmpty, .ul(.forEach(disagree) { row in
                .li(.text("\(row.figure.labelZh) · \(row.figure.labelEn): "),
                    .text("published \(row.figure.display ?? format(row.figure.value)), registry \(row.derived.map(format) ?? "–")"))
            })),
            .p(.a(.href(APIRoute.stats.path + "?as_of=\(day)"), .text("统计 · Statistics (JSON)")), .text(" · "),
               .a(.href(APIRoute.reconciliation.path), .text("核对明细 · Reconciliation (JSON)")))
        )
    }

    static func figures(_ s: Statistics) -> Node<HTML.BodyContext> {
        .dl(
            .class("figures"),
            .dt(.text("集群 Clusters")), .dd(.text("\(s.clusters)")),
            .dt(.text("涉及省份 Provinces")), .dd(.text("\(s.provinces)")),
            .dt(.text("计划单列市 Planned cities")), .dd(.text("\(s.plannedCities)")),
            .dt(.text("东/中/西/东北 E/C/W/NE")),
            .dd(.text(Region.allCases.map { "\(s.byRegion[$0] ?? 0)" }.joined(separator: " / "))),
            .dt(.text("重点区域 Key regions")), .dd(.text("\(s.keyRegionsTotal)"))
        )
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3f", value)
    }
}

import Foundation
