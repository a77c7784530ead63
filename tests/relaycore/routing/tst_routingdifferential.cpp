// Differential test of RoutingSnapshot's flat tables (routingtable.h) against
// a straightforward reference: QHash maps keyed by the lower-cased parts, the
// rules of docs/behaviour.md "Routing precedence" written out plainly (user
// list, then domain rule, then unchanged; no chains; the last duplicate wins;
// Relay has no user list). Generated rule sets (mixed case, SMTPUTF8 local
// parts, Latin-1 and wider targets, IDNA domains, duplicates, entries that
// are not mailboxes) are looked up with the sources themselves, case
// variants and hostile addresses (unknown domains, empty parts, '@' inside a
// part, characters whose lower case is ASCII or longer); every field of
// every answer, and match(), must be the reference's.
#include "relaycore/routing/routingsnapshot.h"

#include <QHash>
#include <QTest>

#include <random>
#include <utility>

using namespace mailroute;

namespace {

// docs/behaviour.md "Areas and mappings", as simply as it can be written.
class ReferenceRouter
{
public:
    explicit ReferenceRouter(const ConfigData &config)
    {
        for (Area a : kAllAreas) {
            Tables &t = m_areas[size_t(areaIndex(a))];
            for (const DomainMapping &m : config.area(a).domains)
                t.domains.insert(m.source.toLower(), m);
            if (!areaHasUsers(a))
                continue;
            for (const UserMapping &m : config.area(a).users) {
                const qsizetype at = m.source.lastIndexOf(QLatin1Char('@'));
                if (at <= 0 || m.target.lastIndexOf(QLatin1Char('@')) <= 0)
                    continue;
                t.users.insert({m.source.left(at).toLower(), m.source.mid(at + 1).toLower()}, m);
            }
        }
    }

    RouteResult route(Area area, const MailAddress &address) const
    {
        const Tables &t = m_areas[size_t(areaIndex(area))];
        const auto user = t.users.constFind({address.localPart.toLower(), address.domain.toLower()});
        if (user != t.users.cend()) {
            const qsizetype at = user->target.lastIndexOf(QLatin1Char('@'));
            return RouteResult{MatchKind::User, MailAddress{user->target.left(at), user->target.mid(at + 1)},
                               user->source, user->target};
        }
        const auto domain = t.domains.constFind(address.domain.toLower());
        if (domain != t.domains.cend())
            return RouteResult{MatchKind::Domain, MailAddress{address.localPart, domain->target},
                               displayDomain(domain->source), displayDomain(domain->target)};
        return RouteResult{MatchKind::None, address, {}, {}};
    }

private:
    struct Tables
    {
        QHash<std::pair<QString, QString>, UserMapping> users;
        QHash<QString, DomainMapping> domains;
    };
    std::array<Tables, kAreaCount> m_areas;
};

QString u8(const char *s)
{
    return QString::fromUtf8(s);
}

// Pieces the generator combines: ASCII, Latin-1, wider BMP, astral (surrogate
// pairs), and characters whose case mapping is special: U+212A KELVIN SIGN
// lowers to ASCII 'k', U+0130 to "i" + U+0307 (longer), U+00DF has no
// single-unit upper case.
const char *const kPieces[] = {"a", "B",  "c",  "Z", ".", "-", "_", "+", "0", "9",      "é",
                               "É", "ß",  "ü",  "Ü", "ø", "Ω", "ω", "Ж", "ж", "\u212A", "\u0130",
                               "ı", "中", "文", "😀", "ǅ", "ﬁ", "x", "Y", "é", "\u00FF", "\u0178"};

class Generator
{
public:
    explicit Generator(unsigned seed) : m_rng(seed) {}

    int below(int n) { return int(m_rng() % uint64_t(n)); }

    QString local(bool asciiOnly)
    {
        QString s;
        const int n = 1 + below(12);
        for (int i = 0; i < n; ++i) {
            const int range = asciiOnly ? 10 : int(std::size(kPieces));
            s += u8(kPieces[below(range)]);
        }
        if (below(4) == 0)
            s += QString::number(below(100000));
        return s;
    }

    QString domain()
    {
        static const char *const tlds[] = {"example", "test", "co.uk", "xn--p1ai"};
        QString d = below(5) == 0 ? QStringLiteral("xn--bcher-kva") : QStringLiteral("d%1").arg(below(60));
        return d + QLatin1Char('.') + u8(tlds[below(int(std::size(tlds)))]);
    }

    QString randomCase(const QString &s)
    {
        QString out;
        for (QChar c : s)
            out += below(2) ? c.toUpper() : c.toLower();
        return out;
    }

private:
    std::mt19937_64 m_rng;
};

ConfigData generate(Generator &g, int users)
{
    ConfigData c;
    for (Area a : kAllAreas) {
        AreaConfig &ac = c.area(a);
        for (int i = 0; i < 40; ++i) {
            QString source = g.domain();
            if (g.below(6) == 0)
                source = source.toUpper(); // hand-made, not normalised
            if (g.below(9) == 0)
                source = u8("bücher.") + source; // not ACE
            ac.domains.append(DomainMapping{source, g.domain()});
        }
        // Relay gets a user list too: it must be ignored (docs/behaviour.md "Areas and mappings").
        for (int i = 0; i < users; ++i) {
            const QString source = g.local(g.below(3) != 0) + QLatin1Char('@') + g.domain();
            QString target;
            switch (g.below(4)) {
            case 0: target = g.local(false) + QLatin1Char('@') + g.domain(); break;  // any text
            case 1: target = QStringLiteral("Jos\u00e9.%1@t.example").arg(i); break; // Latin-1
            default: target = QStringLiteral("First.Last%1@dst%2.example").arg(i).arg(i % 7); break;
            }
            ac.users.append(UserMapping{source, target});
            if (g.below(50) == 0) // a duplicate source, other case: the last one wins
                ac.users.append(
                    UserMapping{g.randomCase(source), QStringLiteral("dup%1@dup.example").arg(i)});
        }
        // Entries that are not mailboxes (the store never holds them): skipped.
        ac.users.append(UserMapping{u8("@nolocal.example"), u8("x@y.example")});
        ac.users.append(UserMapping{u8("nodomain"), u8("x@y.example")});
        ac.users.append(UserMapping{u8("ok@fine.example"), u8("@notarget.example")});
        // A quoted local part holding '@' (only the last '@' splits).
        ac.users.append(UserMapping{u8("a@b@split.example"), u8("Q@y.example")});
        // Long strings (beyond any valid address).
        ac.users.append(UserMapping{QString(70000, QLatin1Char('L')) + u8("@long.example"),
                                    QString(70001, QChar(0x4e2d)) + u8("@long.example")});
    }
    return c;
}

QString describe(const RouteResult &r)
{
    return matchKindKey(r.kind) + QLatin1Char(' ') + r.address.localPart + QLatin1Char('|') +
           r.address.domain + QLatin1Char(' ') + r.ruleSource + QLatin1Char(' ') + r.ruleTarget;
}

} // namespace

class TestRoutingDifferential : public QObject
{
    Q_OBJECT

private slots:
    void sameAnswersAsReference_data();
    void sameAnswersAsReference();
    void emptyAndTinyConfigs();

private:
    static int compareAll(const ConfigData &config, const QList<MailAddress> &inputs);
};

int TestRoutingDifferential::compareAll(const ConfigData &config, const QList<MailAddress> &inputs)
{
    const auto snapshot = RoutingSnapshot::compile(config);
    const ReferenceRouter reference(config);
    int mismatches = 0;
    for (const MailAddress &in : inputs) {
        for (Area a : kAllAreas) {
            const RouteResult got = snapshot->route(a, in);
            const RouteResult want = reference.route(a, in);
            const bool same = got.kind == want.kind && got.address.localPart == want.address.localPart &&
                              got.address.domain == want.address.domain &&
                              got.ruleSource == want.ruleSource && got.ruleTarget == want.ruleTarget &&
                              snapshot->match(a, in) == want.kind;
            if (!same && ++mismatches <= 10)
                qWarning("%s %s|%s: got %s, want %s", qPrintable(areaKey(a)),
                         qPrintable(in.localPart.left(80)), qPrintable(in.domain.left(80)),
                         qPrintable(describe(got).left(200)), qPrintable(describe(want).left(200)));
        }
    }
    return mismatches;
}

void TestRoutingDifferential::sameAnswersAsReference_data()
{
    QTest::addColumn<unsigned>("seed");
    QTest::addColumn<int>("users");
    QTest::newRow("small") << 1u << 50;
    QTest::newRow("medium") << 2u << 3000;
    QTest::newRow("large") << 3u << 40000;
}

void TestRoutingDifferential::sameAnswersAsReference()
{
    QFETCH(unsigned, seed);
    QFETCH(int, users);
    Generator g(seed);
    const ConfigData config = generate(g, users);

    QList<MailAddress> inputs;
    const auto split = [](const QString &address) {
        const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
        return at < 0 ? MailAddress{address, {}} : MailAddress{address.left(at), address.mid(at + 1)};
    };
    for (Area a : kAllAreas) {
        for (const UserMapping &m : config.area(a).users) {
            const MailAddress s = split(m.source);
            inputs << s << MailAddress{s.localPart.toUpper(), s.domain.toUpper()}
                   << MailAddress{g.randomCase(s.localPart), g.randomCase(s.domain)}
                   << MailAddress{s.localPart, g.domain()}                  // the user's name elsewhere
                   << MailAddress{s.localPart + QLatin1Char('x'), s.domain} // near miss: local part
                   << MailAddress{s.localPart.left(s.localPart.size() - 1), s.domain}
                   << MailAddress{s.localPart, s.domain + QLatin1Char('x')} // near miss: domain
                   << MailAddress{{}, s.domain}                             // empty local part
                   << MailAddress{s.localPart, {}}                          // empty domain
                   << split(m.target);                                      // the target (no chains)
            if (g.below(10) == 0) // the same characters split elsewhere
                inputs << MailAddress{s.localPart + QLatin1Char('@') + s.domain.left(2), s.domain.mid(2)};
        }
        for (const DomainMapping &m : config.area(a).domains) {
            inputs << MailAddress{g.local(false), m.source} << MailAddress{g.local(true), m.source.toUpper()}
                   << MailAddress{{}, m.source} << MailAddress{g.local(true), m.target};
        }
    }
    for (int i = 0; i < 20000; ++i)
        inputs << MailAddress{g.randomCase(g.local(g.below(2) != 0)), g.randomCase(g.domain())};
    // Characters whose lower case differs in length or leaves ASCII.
    inputs << MailAddress{u8("\u212Aate"), u8("d1.example")} << MailAddress{u8("\u0130"), u8("d1.example")}
           << MailAddress{u8("i\u0307"), u8("d1.example")} << MailAddress{u8("a@b"), u8("split.example")}
           << MailAddress{u8("a"), u8("b@split.example")} << MailAddress{u8("A@B"), u8("SPLIT.example")}
           << MailAddress{QString(70000, QLatin1Char('l')), u8("LONG.example")} << MailAddress{{}, {}};

    QCOMPARE(compareAll(config, inputs), 0);
}

void TestRoutingDifferential::emptyAndTinyConfigs()
{
    const QList<MailAddress> inputs{{u8("bob"), u8("warmsushi.com")},
                                    {u8("BOB"), u8("WARMSUSHI.COM")},
                                    {{}, u8("warmsushi.com")},
                                    {u8("x"), {}},
                                    {u8("müller"), u8("xn--bcher-kva.example")}};
    QCOMPARE(compareAll(ConfigData{}, inputs), 0);
    ConfigData one;
    one.area(Area::Inbound).users << UserMapping{u8("Bob@warmsushi.com"), u8("b@x.example")};
    QCOMPARE(compareAll(one, inputs), 0);
    ConfigData domainOnly;
    domainOnly.area(Area::Outbound).domains << DomainMapping{u8("warmsushi.com"), u8("x.example")};
    QCOMPARE(compareAll(domainOnly, inputs), 0);
    ConfigData utf8;
    utf8.area(Area::Inbound).users << UserMapping{u8("MÜLLER@xn--bcher-kva.example"), u8("m@x.example")};
    QCOMPARE(compareAll(utf8, inputs), 0);
    // Surrogates (units >= 0x8000) among the first eight units of an
    // otherwise ASCII part: not ASCII, and not to be confused with NULs.
    ConfigData astral;
    astral.area(Area::Inbound).users << UserMapping{u8("k😀😀12345@d.example"), u8("a@x.example")}
                                     << UserMapping{u8("abcdefgh😀@d.example"), u8("b@x.example")};
    QCOMPARE(compareAll(astral, {{u8("K😀😀12345"), u8("d.example")},
                                 {QStringLiteral("k") + QString(4, QChar(0)) + u8("12345"), u8("d.example")},
                                 {u8("ABCDEFGH😀"), u8("D.example")},
                                 {u8("abcdefgh"), u8("d.example")}}),
             0);
}

QTEST_GUILESS_MAIN(TestRoutingDifferential)
#include "tst_routingdifferential.moc"
