import Testing

@testable import ClusterDomain

@Suite struct ReferenceDataTests {
    let ref = Shipped.reference

    @Test func thirtyOneProvincesWithTwoDigitCodes() {
        #expect(ref.provinces.count == 31)
        #expect(Set(ref.provinces.map(\.code)).count == 31)
        for p in ref.provinces {
            #expect(p.code.count == 2 && p.code.allSatisfy(\.isNumber), "\(p.code)")
            #expect(!p.nameZh.isEmpty && !p.nameEn.isEmpty)
            #expect(p.nameZh.hasPrefix(p.shortNameZh))
        }
        #expect(ref.province(code: "44")?.nameZh == "广东省")
        #expect(ref.province(code: "65")?.shortNameZh == "新疆")
        #expect(ref.province(code: "44")?.iso == "GD")
        #expect(Set(ref.provinces.map(\.iso)).count == 31)
        #expect(ref.provinces.allSatisfy { $0.iso.count == 2 && $0.iso.allSatisfy(\.isUppercase) })
    }

    @Test(arguments: [
        (Region.east, "北京 天津 河北 上海 江苏 浙江 福建 山东 广东 海南"),
        (Region.central, "山西 安徽 江西 河南 湖北 湖南"),
        (Region.west, "内蒙古 广西 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆"),
        (Region.northeast, "辽宁 吉林 黑龙江"),
    ])
    func regionsAreMIITsFourWayClass(region: Region, members: String) {
        let expected = Set(members.split(separator: " ").map(String.init))
        let actual = Set(ref.provinces.filter { $0.region == region }.map(\.shortNameZh))
        #expect(actual == expected)
    }

    @Test func plannedCitiesAreTheFive() {
        #expect(Set(ref.plannedCities.map(\.nameZh)) == ["大连", "青岛", "宁波", "厦门", "深圳"])
        #expect(ref.city(named: "深圳")?.provinceCode == "44")
        #expect(ref.city(named: "大连")?.provinceCode == "21")
    }

    @Test func everyClusterCityIsKnownWithItsProvince() {
        for cluster in Shipped.clusters {
            for name in cluster.cityNames {
                let city = ref.city(named: name)
                #expect(city != nil, "\(cluster.id) names \(name)")
                if let city { #expect(cluster.provinceCodes.contains(city.provinceCode), "\(cluster.id) \(name)") }
            }
        }
    }

    @Test func keyRegions() throws {
        #expect(
            ref.keyRegions.map(\.code) == [
                "jing_jin_ji", "yangtze_river_delta", "pearl_river_delta", "chengdu_chongqing",
            ])
        let jjj = try #require(ref.keyRegion(code: "jing_jin_ji"))
        #expect(Set(jjj.provinceCodes) == ["11", "12", "13"])
        let yrd = try #require(ref.keyRegion(code: "yangtze_river_delta"))
        #expect(Set(yrd.provinceCodes) == ["31", "32", "33", "34"])
        let prd = try #require(ref.keyRegion(code: "pearl_river_delta"))
        #expect(prd.provinceCodes.isEmpty)
        #expect(Set(prd.cityNames) == ["广州", "深圳", "珠海", "佛山", "惠州", "东莞", "中山", "江门", "肇庆"])
        let cc = try #require(ref.keyRegion(code: "chengdu_chongqing"))
        #expect(cc.provinceCodes == ["50"])
        #expect(cc.cityNames.count == 15)
        #expect(cc.cityNames.allSatisfy { ref.city(named: $0)?.provinceCode == "51" })
        #expect(!cc.cityNames.contains("凉山彝族自治州"))
    }

    @Test func sixDomainsWithStableCodes() {
        #expect(
            ref.domains.map(\.code) == [
                "next_gen_it", "high_end_equipment", "new_materials", "biomedicine",
                "consumer_goods", "nev_icv",
            ])
        #expect(
            ref.domains.map(\.nameZh) == [
                "新一代信息技术", "高端装备", "新材料", "生物医药及高端医疗器械", "消费品",
                "新能源及智能网联汽车",
            ])
        #expect(ref.domains.allSatisfy { !$0.nameEn.isEmpty })
    }

    @Test func batchesCarryTheirDates() throws {
        let round1 = try #require(ref.batch(code: "round1"))
        #expect(round1.namedOn?.description == "2021-03")
        #expect(round1.designatedOn == day("2022-11-30"))
        let b2024 = try #require(ref.batch(code: "2024"))
        #expect(b2024.designationDocument == "工信部规函〔2024〕372号")
        #expect(ref.batch(code: "round3")?.namedOn == nil)
    }

    @Test func brokenReferenceDataIsRejectedWithTheFile() throws {
        let bad = "code,iso,short_zh,name_zh,name_en,region\n11,BJ,北京,北京市,Beijing,middle\n"
        #expect(throws: DataError.self) {
            try DataFiles.parseReference(
                provinces: bad, cities: "name_zh,name_en,province_code,planned\n",
                keyRegions: "[]", domains: "code,name_zh,name_en\n",
                batches: "code,name_zh,name_en,named_on,naming_event,designated_on,designation_document,note\n")
        }
        let unknownProvince = "name_zh,name_en,province_code,planned\n某市,Somewhere,99,no\n"
        do {
            _ = try DataFiles.parseReference(
                provinces: "code,iso,short_zh,name_zh,name_en,region\n11,BJ,北京,北京市,Beijing,east\n",
                cities: unknownProvince, keyRegions: "[]", domains: "code,name_zh,name_en\n",
                batches: "code,name_zh,name_en,named_on,naming_event,designated_on,designation_document,note\n")
            Issue.record("an unknown province code was accepted")
        } catch {
            #expect(error.file == "cities.csv")
            #expect(error.reason.contains("99"))
        }
    }
}
