extension PolicyCatalogue {
    /// A department as people write it: its code, its full name in either language, a common short
    /// name (工信部, 发改委), or a province's own department (江苏省工信厅, 广东省财政厅).
    public func department(named text: String) -> Department? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let d = departments.first(where: {
            $0.code == t || $0.nameZh == t || $0.nameEn.lowercased() == t.lowercased()
        }) {
            return d
        }
        let short: [String: String] = [
            "工信部": "miit", "发改委": "ndrc", "国家发改委": "ndrc", "科技部": "most", "人社部": "mohrss",
            "人力资源社会保障部": "mohrss", "人民银行": "pboc", "央行": "pboc", "知识产权局": "cnipa",
            "金融监管总局": "nfra", "国家金融监管总局": "nfra",
        ]
        if let code = short[t] { return department(code: code) }
        let provincial = ["省", "自治区", "市"].contains { t.contains($0) } && t.count <= 30
        if provincial, ["工信厅", "经信厅", "工业和信息化厅", "经济和信息化厅", "经济和信息化委员会", "工业和信息化局", "经信委"].contains(where: t.hasSuffix)
        {
            return department(code: "provincial_iit")
        }
        if provincial, ["财政厅", "财政局"].contains(where: t.hasSuffix) { return department(code: "provincial_finance") }
        return nil
    }
}
