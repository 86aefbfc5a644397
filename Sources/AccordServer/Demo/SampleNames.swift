/// Realistic names of the nationalities the demo uses, in Latin transliteration and, where the
/// country writes another script, in that script (ISO 15924 code).
struct SampleNationality {
    struct Name {
        let latin: String
        let native: String?
    }

    let country: String
    let script: String?
    let given: [Name]
    let family: [Name]
    let documentPrefix: String

    static let all: [SampleNationality] = [
        SampleNationality(country: "AFG", script: "Arab", given: [
            .init(latin: "Ahmad", native: "احمد"), .init(latin: "Mohammad", native: "محمد"), .init(latin: "Farid", native: "فرید"),
            .init(latin: "Zahra", native: "زهرا"), .init(latin: "Mariam", native: "مریم"), .init(latin: "Hamid", native: "حمید"),
        ], family: [
            .init(latin: "Karimi", native: "کریمی"), .init(latin: "Ahmadzai", native: "احمدزی"), .init(latin: "Rahimi", native: "رحیمی"),
            .init(latin: "Noori", native: "نوری"),
        ], documentPrefix: "P0"),
        SampleNationality(country: "SYR", script: "Arab", given: [
            .init(latin: "Omar", native: "عمر"), .init(latin: "Lina", native: "لينا"), .init(latin: "Khaled", native: "خالد"),
            .init(latin: "Rania", native: "رانيا"), .init(latin: "Yusuf", native: "يوسف"),
        ], family: [
            .init(latin: "Haddad", native: "حداد"), .init(latin: "Al-Masri", native: "المصري"), .init(latin: "Khoury", native: "خوري"),
            .init(latin: "Darwish", native: "درويش"),
        ], documentPrefix: "N0"),
        SampleNationality(country: "IRQ", script: "Arab", given: [
            .init(latin: "Ali", native: "علي"), .init(latin: "Fatima", native: "فاطمة"), .init(latin: "Hussein", native: "حسين"),
            .init(latin: "Noor", native: "نور"),
        ], family: [
            .init(latin: "Al-Jabouri", native: "الجبوري"), .init(latin: "Hassan", native: "حسن"), .init(latin: "Kadhim", native: "كاظم"),
        ], documentPrefix: "A"),
        SampleNationality(country: "ERI", script: "Ethi", given: [
            .init(latin: "Yohannes", native: "ዮሃንስ"), .init(latin: "Senait", native: "ሰናይት"), .init(latin: "Tesfay", native: "ተስፋይ"),
            .init(latin: "Helen", native: "ሄለን"), .init(latin: "Dawit", native: "ዳዊት"),
        ], family: [
            .init(latin: "Tesfamariam", native: "ተስፋማርያም"), .init(latin: "Ghebremedhin", native: "ገብረመድህን"),
            .init(latin: "Habte", native: "ሃብተ"), .init(latin: "Kidane", native: "ኪዳነ"),
        ], documentPrefix: "E"),
        SampleNationality(country: "UKR", script: "Cyrl", given: [
            .init(latin: "Olena", native: "Олена"), .init(latin: "Andriy", native: "Андрій"), .init(latin: "Iryna", native: "Ірина"),
            .init(latin: "Taras", native: "Тарас"), .init(latin: "Oksana", native: "Оксана"),
        ], family: [
            .init(latin: "Shevchenko", native: "Шевченко"), .init(latin: "Kovalenko", native: "Коваленко"),
            .init(latin: "Bondarenko", native: "Бондаренко"), .init(latin: "Tkachenko", native: "Ткаченко"),
        ], documentPrefix: "FK"),
        SampleNationality(country: "GEO", script: "Geor", given: [
            .init(latin: "Giorgi", native: "გიორგი"), .init(latin: "Nino", native: "ნინო"), .init(latin: "Davit", native: "დავით"),
            .init(latin: "Tamar", native: "თამარ"),
        ], family: [
            .init(latin: "Beridze", native: "ბერიძე"), .init(latin: "Kapanadze", native: "კაპანაძე"), .init(latin: "Gelashvili", native: "გელაშვილი"),
        ], documentPrefix: "G"),
        SampleNationality(country: "BGD", script: "Beng", given: [
            .init(latin: "Rahim", native: "রহিম"), .init(latin: "Fatema", native: "ফাতেমা"), .init(latin: "Karim", native: "করিম"),
        ], family: [
            .init(latin: "Uddin", native: "উদ্দিন"), .init(latin: "Hossain", native: "হোসেন"), .init(latin: "Akter", native: "আক্তার"),
        ], documentPrefix: "BW"),
        SampleNationality(country: "CHN", script: "Hani", given: [
            .init(latin: "Wei", native: "伟"), .init(latin: "Fang", native: "芳"), .init(latin: "Lei", native: "磊"), .init(latin: "Jing", native: "静"),
        ], family: [
            .init(latin: "Wang", native: "王"), .init(latin: "Li", native: "李"), .init(latin: "Zhang", native: "张"), .init(latin: "Chen", native: "陈"),
        ], documentPrefix: "E"),
        SampleNationality(country: "MAR", script: "Arab", given: [
            .init(latin: "Youssef", native: "يوسف"), .init(latin: "Khadija", native: "خديجة"), .init(latin: "Hamza", native: "حمزة"),
        ], family: [
            .init(latin: "El Alaoui", native: "العلوي"), .init(latin: "Bennani", native: "بناني"), .init(latin: "Tazi", native: "التازي"),
        ], documentPrefix: "U"),
        SampleNationality(country: "NGA", script: nil, given: [
            .init(latin: "Chinedu", native: nil), .init(latin: "Ngozi", native: nil), .init(latin: "Emeka", native: nil), .init(latin: "Aisha", native: nil),
        ], family: [
            .init(latin: "Okafor", native: nil), .init(latin: "Adeyemi", native: nil), .init(latin: "Bello", native: nil), .init(latin: "Eze", native: nil),
        ], documentPrefix: "B"),
        SampleNationality(country: "TUR", script: nil, given: [
            .init(latin: "Çağlar", native: nil), .init(latin: "Ayşe", native: nil), .init(latin: "Mehmet", native: nil), .init(latin: "Elif", native: nil),
        ], family: [
            .init(latin: "Öztürk", native: nil), .init(latin: "Yılmaz", native: nil), .init(latin: "Şahin", native: nil), .init(latin: "Demir", native: nil),
        ], documentPrefix: "U"),
        SampleNationality(country: "VNM", script: nil, given: [
            .init(latin: "Văn An", native: nil), .init(latin: "Thị Hoa", native: nil), .init(latin: "Minh Tuấn", native: nil),
        ], family: [
            .init(latin: "Nguyễn", native: nil), .init(latin: "Trần", native: nil), .init(latin: "Lê", native: nil), .init(latin: "Phạm", native: nil),
        ], documentPrefix: "C"),
        SampleNationality(country: "COL", script: nil, given: [
            .init(latin: "José", native: nil), .init(latin: "María", native: nil), .init(latin: "Andrés", native: nil), .init(latin: "Valentina", native: nil),
        ], family: [
            .init(latin: "Martínez", native: nil), .init(latin: "Gómez", native: nil), .init(latin: "Rodríguez", native: nil), .init(latin: "Peña", native: nil),
        ], documentPrefix: "AT"),
        SampleNationality(country: "ALB", script: nil, given: [
            .init(latin: "Arbër", native: nil), .init(latin: "Drita", native: nil), .init(latin: "Erion", native: nil), .init(latin: "Blerta", native: nil),
        ], family: [
            .init(latin: "Hoxha", native: nil), .init(latin: "Krasniqi", native: nil), .init(latin: "Berisha", native: nil),
        ], documentPrefix: "BA"),
    ]

    /// Lawyers of the host state who represent applicants.
    static let representatives: [(given: String, family: String)] = [
        ("Claire", "Dubois"), ("Jan", "Peeters"), ("Sofie", "Janssens"), ("Marc", "Lambert"), ("Inès", "Moreau"),
    ]
}
