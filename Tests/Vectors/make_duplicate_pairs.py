#!/usr/bin/env python3
"""Writes Tests/CaseworkTests/Resources/duplicate-pairs.json: labelled pairs of person records for
the duplicate detection test. Each pair is (registered, new registration, same person or not).

Same person: another transliteration of the name, the name in its own script beside a Latin
spelling from another document, a partial or mistyped date of birth, given and family name
swapped, the article written or not, a different spelling with the same passport. Different
people: namesakes born another year, siblings, similar-sounding family names, unrelated people.
The names are invented from common name stems; the labels hold by construction. Deterministic.

    python3 Tests/Vectors/make_duplicate_pairs.py
"""
import json
import os
import random

# (Latin spellings of the given name, of the family name, native script given, family, script, nationality, sex)
IDENTITIES = [
    (["Mohammed", "Muhammad", "Mohamed", "Mohamad"], ["El Amrani", "Amrani", "Elamrani"], "محمد", "العمراني", "Arab", "MAR", "M"),
    (["Youssef", "Yusuf", "Yousef", "Youssif"], ["Benali", "Ben Ali"], "يوسف", "بن علي", "Arab", "MAR", "M"),
    (["Ahmad", "Ahmed", "Achmed"], ["Karimi", "Kareemi"], "احمد", "کریمی", "Arab", "AFG", "M"),
    (["Fatima", "Fatimah", "Fatma"], ["Haddad", "Hadad"], "فاطمة", "حداد", "Arab", "SYR", "F"),
    (["Aisha", "Aicha", "Ayesha"], ["Rahimi", "Raheemi"], "عائشة", "رحيمي", "Arab", "AFG", "F"),
    (["Omar", "Umar", "Omer"], ["Khalil", "Halil", "Khaleel"], "عمر", "خليل", "Arab", "SYR", "M"),
    (["Khaled", "Khalid", "Chaled"], ["Mansour", "Mansur", "Mansoor"], "خالد", "منصور", "Arab", "LBY", "M"),
    (["Abdelkader", "Abdulqadir", "Abdelkadir"], ["Boukhari", "Bukhari"], "عبد القادر", "بخاري", "Arab", "DZA", "M"),
    (["Mariam", "Maryam", "Meriem"], ["Saleh", "Salih"], "مريم", "صالح", "Arab", "EGY", "F"),
    (["Hussein", "Husayn", "Hussain"], ["Jaber", "Jabir"], "حسين", "جابر", "Arab", "IRQ", "M"),
    (["Walid", "Waleed"], ["Nasser", "Nasir", "Naser"], "وليد", "ناصر", "Arab", "JOR", "M"),
    (["Samira", "Sameera"], ["Bouzid", "Buzid"], "سميرة", "بوزيد", "Arab", "TUN", "F"),
    (["Tariq", "Tarek", "Tarik"], ["Hamdan", "Hamdane"], "طارق", "حمدان", "Arab", "SDN", "M"),
    (["Layla", "Leila", "Laila"], ["Aziz", "Azeez"], "ليلى", "عزيز", "Arab", "SYR", "F"),
    (["Rashid", "Rachid", "Rasheed"], ["Othmani", "Uthmani"], "رشيد", "العثماني", "Arab", "MAR", "M"),
    (["Aleksandr", "Alexander", "Aleksander"], ["Ivanov", "Ivanoff"], "Александр", "Иванов", "Cyrl", "RUS", "M"),
    (["Sergei", "Sergey", "Serhiy"], ["Petrenko", "Petrenco"], "Сергей", "Петренко", "Cyrl", "UKR", "M"),
    (["Yekaterina", "Ekaterina", "Katerina"], ["Smirnova", "Smirnowa"], "Екатерина", "Смирнова", "Cyrl", "RUS", "F"),
    (["Dmitri", "Dmitry", "Dmytro"], ["Kovalenko", "Kowalenko"], "Дмитрий", "Коваленко", "Cyrl", "UKR", "M"),
    (["Yuliya", "Julia", "Yulia"], ["Shevchenko", "Chevtchenko", "Schewtschenko"], "Юлия", "Шевченко", "Cyrl", "UKR", "F"),
    (["Nikolai", "Nikolay", "Mykola"], ["Bondarenko", "Bondarenco"], "Николай", "Бондаренко", "Cyrl", "UKR", "M"),
    (["Olga", "Olha"], ["Morozova", "Morosova"], "Ольга", "Морозова", "Cyrl", "BLR", "F"),
    (["Andrei", "Andrey", "Andriy"], ["Volkov", "Wolkow"], "Андрей", "Волков", "Cyrl", "RUS", "M"),
    (["Giorgi", "Georgi", "George"], ["Beridze", "Beridse"], "გიორგი", "ბერიძე", "Geor", "GEO", "M"),
    (["Nino"], ["Kapanadze", "Kapanadse"], "ნინო", "კაპანაძე", "Geor", "GEO", "F"),
    (["Armando", "Armand"], ["Hoxha", "Hodja", "Hoxhaj"], None, None, None, "ALB", "M"),
    (["Elira"], ["Krasniqi", "Krasniki"], None, None, None, "ALB", "F"),
    (["Jean-Pierre", "Jean Pierre"], ["Mukendi", "Moukendi"], None, None, None, "COD", "M"),
    (["Amadou", "Ahmadou"], ["Diallo", "Dialo"], None, None, None, "GIN", "M"),
    (["Fatoumata", "Fatumata"], ["Traore", "Traoré"], None, None, None, "MLI", "F"),
    (["Abdullahi", "Abdulahi"], ["Mohamud", "Mohamoud", "Mahmud"], "عبد الله", "محمود", "Arab", "SOM", "M"),
    (["Tesfaye", "Tesfay"], ["Gebremedhin", "Gebre Medhin", "Gebremedin"], None, None, None, "ERI", "M"),
    (["Hamid", "Hameed"], ["Noori", "Nouri", "Nuri"], "حمید", "نوری", "Arab", "AFG", "M"),
    (["Zahra", "Zehra"], ["Hosseini", "Husseini", "Hosseiny"], "زهرا", "حسینی", "Arab", "AFG", "F"),
    (["Ali"], ["Rezaei", "Rezai", "Rezaee"], "علی", "رضایی", "Arab", "IRN", "M"),
    (["Bilal"], ["Chaudhry", "Chaudhary", "Choudhry"], None, None, None, "PAK", "M"),
    (["Priya"], ["Sharma"], None, None, None, "IND", "F"),
    (["Kwame"], ["Mensah", "Mensa"], None, None, None, "GHA", "M"),
    (["Ngozi"], ["Okafor", "Okafo"], None, None, None, "NGA", "F"),
    (["Luis", "Luís"], ["Hernández", "Hernandez"], None, None, None, "COL", "M"),
]

# Different people whose family names sound alike (hard negatives), with given names of their own.
LOOKALIKES = [
    (("Karim", "Karimi", "AFG", "M"), ("Karam", "Karami", "IRN", "M")),
    (("Samir", "Haddad", "LBN", "M"), ("Samer", "Hadid", "SYR", "M")),
    (("Nadia", "Mansouri", "TUN", "F"), ("Nadia", "Mansour", "EGY", "F")),
    (("Ivan", "Petrov", "RUS", "M"), ("Ivan", "Petrova", "RUS", "F")),
    (("Omar", "Ali", "SOM", "M"), ("Omar", "Ali", "SDN", "M")),
]


def person(given, family, born, nationality, sex, passport=None, native=None):
    record = {"given": given, "family": family, "dateOfBirth": born, "nationality": nationality, "sex": sex}
    if passport:
        record["passport"] = passport
    if native:
        record["native"] = native
    return record


def main():
    rng = random.Random(20261202)
    pairs = []

    def born(rng):
        return f"{rng.randint(1960, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def passport(rng):
        return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + str(rng.randint(1000000, 9999999))

    for index, (givens, families, native_given, native_family, script, nationality, sex) in enumerate(IDENTITIES):
        date = born(rng)
        doc = passport(rng)
        native = {"script": script, "given": native_given, "family": native_family} if script else None
        base = person(givens[0], families[0], date, nationality, sex, passport=doc)
        # 1. Another transliteration, same date, no document.
        pairs.append({"kind": "transliteration", "same": True, "a": base,
                      "b": person(givens[-1], families[-1], date, nationality, sex)})
        # 2. The name in its own script beside another Latin spelling (or a missing accent/hyphen).
        pairs.append({"kind": "native_script" if native else "spelling", "same": True, "a": base,
                      "b": person(rng.choice(givens), rng.choice(families), date, nationality, sex, native=native)})
        # 3. Only the year (or year and month) of birth known on the new record.
        partial = date[:4] if index % 2 == 0 else date[:7]
        pairs.append({"kind": "partial_date", "same": True, "a": base,
                      "b": person(rng.choice(givens), families[0], partial, nationality, sex)})
        # 4. Day and month swapped (when the day can be a month), or given and family names swapped.
        y, m, d = date.split("-")
        if int(d) <= 12 and d != m:
            pairs.append({"kind": "day_month_swapped", "same": True, "a": base,
                          "b": person(givens[0], rng.choice(families), f"{y}-{d}-{m}", nationality, sex)})
        else:
            pairs.append({"kind": "names_swapped", "same": True, "a": base,
                          "b": person(families[0], givens[0], date, nationality, sex)})
        # 5. Same passport, spelled differently, date mistyped by a year.
        pairs.append({"kind": "same_document", "same": True, "a": base,
                      "b": person(givens[-1], families[-1], f"{int(y) + 1}-{m}-{d}", nationality, sex, passport=doc)})
        # 6. A namesake born another year, another passport.
        other_year = int(y) + rng.choice([-9, -6, -4, 3, 5, 8])
        pairs.append({"kind": "namesake", "same": False, "a": base,
                      "b": person(givens[0], families[0], f"{other_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", nationality, sex, passport=passport(rng))})
        # 7. A sibling: same family name, another given name, born a few years apart.
        sibling_given = IDENTITIES[(index + 7) % len(IDENTITIES)][0][0]
        pairs.append({"kind": "sibling", "same": False, "a": base,
                      "b": person(sibling_given, families[0], f"{int(y) + rng.choice([-3, -2, 2, 4])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", nationality,
                                  rng.choice(["F", "M"]))})
    # 8. Unrelated people born the same year.
    for index in range(len(IDENTITIES)):
        a = IDENTITIES[index]
        b = IDENTITIES[(index + 13) % len(IDENTITIES)]
        year = rng.randint(1965, 2004)
        pairs.append({"kind": "unrelated", "same": False,
                      "a": person(a[0][0], a[1][0], f"{year}-03-0{rng.randint(1, 9)}", a[5], a[6]),
                      "b": person(b[0][0], b[1][0], f"{year}-07-1{rng.randint(0, 9)}", b[5], b[6])})
    # 9. Similar-sounding family names, different people (some born the same year).
    for (ga, fa, na, sa), (gb, fb, nb, sb) in LOOKALIKES:
        for offset in (0, 2, 7):
            year = rng.randint(1970, 2000)
            pairs.append({"kind": "lookalike", "same": False,
                          "a": person(ga, fa, f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", na, sa),
                          "b": person(gb, fb, f"{year + offset}-1{rng.randint(0, 2)}-2{rng.randint(0, 8)}", nb, sb)})
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "CaseworkTests", "Resources", "duplicate-pairs.json")
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"generator": "Tests/Vectors/make_duplicate_pairs.py", "pairs": pairs}, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    same = sum(1 for p in pairs if p["same"])
    print(f"{len(pairs)} pairs: {same} same person, {len(pairs) - same} different people")


if __name__ == "__main__":
    main()
