// Migration waves (issue 15) in the configuration database, on explicit
// times: TIME parsing, wave files (user CSV and a migration tool's batch
// file), waves in the draft and in generations (codec, diff), and WaveStore's
// apply / expire / cancel / due / rollback, each as a generation.
#include "relaycore/csv/wavefile.h"
#include "relaycore/routing/waveplan.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/generationcodec.h"
#include "relaycore/store/wavestore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mailroute;
using namespace Qt::StringLiterals;

namespace {

QDateTime utc(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODate).toUTC();
}

Wave makeWave(const QString &name, const QString &at, QList<WaveMapping> users)
{
    Wave w;
    w.name = name;
    w.at = utc(at);
    w.users = std::move(users);
    return w;
}

QString targetOf(const ConfigData &c, Area area, const QString &source)
{
    for (const UserMapping &m : c.area(area).users) {
        if (m.source == source)
            return m.target;
    }
    return {};
}

} // namespace

class TestWaveStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;

    std::unique_ptr<ConfigStore> open()
    {
        auto s = std::make_unique<ConfigStore>(m_dir.filePath(u"w%1.db"_s.arg(++m_n)));
        if (!s->open())
            return nullptr;
        return s;
    }

    // A pushed base: bob has an Inbound mapping to the old system, carol none.
    std::unique_ptr<ConfigStore> base()
    {
        auto s = open();
        if (!s)
            return nullptr;
        if (!s->addUserMapping(Area::Inbound, u"bob@corp.example"_s, u"bob@old.example"_s))
            return nullptr;
        if (!s->push())
            return nullptr;
        return s;
    }

private slots:
    void parsesTimes()
    {
        const QDateTime now = utc(u"2026-12-12T10:00:00Z"_s);
        QCOMPARE(*parseWaveTime(u"2026-12-12T22:00:00+01:00"_s, now).value, utc(u"2026-12-12T21:00:00Z"_s));
        QCOMPARE(*parseWaveTime(u"2026-12-12T21:00Z"_s, now).value, utc(u"2026-12-12T21:00:00Z"_s));
        QCOMPARE(*parseWaveTime(u"2026-12-12T16:30:00-0430"_s, now).value, utc(u"2026-12-12T21:00:00Z"_s));
        QCOMPARE(*parseWaveTime(u"+2h"_s, now).value, utc(u"2026-12-12T12:00:00Z"_s));
        QCOMPARE(*parseWaveTime(u"+30m"_s, now).value, utc(u"2026-12-12T10:30:00Z"_s));
        QCOMPARE(*parseWaveTime(u"+1d"_s, now).value, utc(u"2026-12-13T10:00:00Z"_s));
        const WaveTime noZone = parseWaveTime(u"2026-12-12T22:00:00"_s, now);
        QVERIFY(!noZone.value);
        QVERIFY2(noZone.error.contains(u"no zone"_s), qPrintable(noZone.error));
        QVERIFY(!parseWaveTime(u"tomorrow"_s, now).value);
        QVERIFY(!parseWaveTime(u"2026-02-30T10:00Z"_s, now).value);
        QVERIFY(!parseWaveTime(u"2026-12-12T10:00+15:00"_s, now).value);
        QCOMPARE(waveTimeIso(utc(u"2026-12-12T21:00:00Z"_s)), u"2026-12-12T21:00:00Z"_s);
    }

    void parsesWaveFiles()
    {
        const auto csv = parseWaveFile("Source;Target\r\nbob@corp.example;bob@new.example\r\n"
                                       "Carol@Corp.Example;carol@new.example\r\n");
        QVERIFY2(csv.ok(), qPrintable(csv.error));
        QCOMPARE(csv->size(), 2);
        QCOMPARE(csv->at(1).source, u"Carol@corp.example"_s);

        // A migration tool's batch file: EmailAddress among other columns.
        const auto batch = parseWaveFile("EmailAddress,DisplayName,Batch\nbob@corp.example,Bob,w1\n"
                                         "\"carol@corp.example\",\"Owen, Carol\",w1\n",
                                         u"@new.example"_s);
        QVERIFY2(batch.ok(), qPrintable(batch.error));
        QCOMPARE(batch->size(), 2);
        QCOMPARE(batch->at(0).target, u"bob@new.example"_s);
        QCOMPARE(batch->at(1).source, u"carol@corp.example"_s);
        QCOMPARE(batch->at(1).target, u"carol@new.example"_s);

        const auto noColumn = parseWaveFile("Mail,Name\nbob@corp.example,Bob\n", u"new.example"_s);
        QVERIFY(!noColumn.ok());
        QVERIFY2(noColumn.error.contains(u"EmailAddress"_s), qPrintable(noColumn.error));
        const auto bad = parseWaveFile("EmailAddress\nbob@corp.example\nnot-an-address\nbob@corp.example\n",
                                       u"new.example"_s);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error.contains(u"line 3"_s) && bad.error.contains(u"line 4"_s), qPrintable(bad.error));
        QVERIFY(!parseWaveFile("Source;Target\n", {}).ok());
        QVERIFY(!parseWaveFile("EmailAddress\nbob@corp.example\n", u"bad domain!"_s).ok());
    }

    void codecAndDiffCarryWaves()
    {
        ConfigData c;
        Wave w =
            makeWave(u"w1"_s, u"2026-12-12T21:00:00Z"_s, {{u"bob@corp.example"_s, u"bob@new.example"_s}});
        w.expire = utc(u"2026-12-19T21:00:00Z"_s);
        w.withOutbound = true;
        w.outbound = {{u"bob@new.example"_s, u"bob@corp.example"_s}};
        w.applyAnyway = true;
        c.waves << w;
        const auto back = GenerationCodec::decode(GenerationCodec::encode(c));
        QVERIFY2(back.ok(), qPrintable(back.error));
        QCOMPARE(back->waves.size(), 1);
        QVERIFY(back->waves.first() == w);
        const QStringList lines = diffConfig(ConfigData{}, c).toLines();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().startsWith(
                     u"wave + w1 at 2026-12-12T21:00:00Z until 2026-12-19T21:00:00Z, 1 inbound users"_s),
                 qPrintable(lines.first()));
    }

    void draftWavesAreValidatedAndPushed()
    {
        auto s = base();
        QVERIFY(s);
        Wave bad =
            makeWave(u"bad name"_s, u"2026-12-12T21:00:00Z"_s, {{u"a@corp.example"_s, u"a@new.example"_s}});
        QVERIFY(!s->addWave(bad));
        bad.name = u"w0"_s;
        bad.users << WaveMapping{u"A@corp.example"_s, u"x@new.example"_s}; // same source twice
        QVERIFY(!s->addWave(bad));
        bad.users = {{u"a@corp.example"_s, u"a@new.example"_s}};
        bad.expire = bad.at.addSecs(-60);
        QVERIFY(!s->addWave(bad));
        QVERIFY(s->waves().isEmpty()); // bad input changes nothing

        const Wave w =
            makeWave(u"w1"_s, u"2026-12-12T21:00:00Z"_s, {{u"bob@corp.example"_s, u"bob@new.example"_s}});
        QVERIFY(s->addWave(w));
        QVERIFY(!s->addWave(w)); // the name exists
        QVERIFY(s->pendingDiff().toLines().contains(u"wave + w1 at 2026-12-12T21:00:00Z, 1 inbound users"_s));
        WaveStore waves(*s);
        // In the draft only: not applied, nothing due.
        QVERIFY(!waves.apply(u"w1"_s, utc(u"2026-12-12T21:00:00Z"_s), u"on demand"_s));
        QVERIFY(waves.due(utc(u"2026-12-13T00:00:00Z"_s))->isEmpty());
        const auto pushed = s->push();
        QVERIFY2(pushed.ok(), qPrintable(pushed.error));
        const auto gen = s->generationConfig(pushed->generation);
        QCOMPARE(gen->waves.size(), 1);
        QCOMPARE(targetOf(*gen, Area::Inbound, u"bob@corp.example"_s), u"bob@old.example"_s); // not yet
        const auto list = waves.list();
        QCOMPARE(list->size(), 1);
        QVERIFY(list->first().pushed);
        QCOMPARE(list->first().status.state, WaveState::Scheduled);
    }

    void appliesExpiresAndRestores()
    {
        auto s = base();
        QVERIFY(s);
        Wave w = makeWave(u"w1"_s, u"2026-12-12T21:00:00Z"_s,
                          {{u"bob@corp.example"_s, u"bob@new.example"_s},
                           {u"carol@corp.example"_s, u"carol@new.example"_s}});
        w.expire = utc(u"2026-12-13T21:00:00Z"_s);
        w.withOutbound = true;
        w.outbound = {{u"bob@new.example"_s, u"bob@corp.example"_s},
                      {u"carol@new.example"_s, u"carol@corp.example"_s}};
        QVERIFY(s->addWave(w));
        QVERIFY(s->addUserMapping(Area::Inbound, u"dave@corp.example"_s,
                                  u"dave@old.example"_s)); // an unrelated draft edit
        const auto pushed = s->push();
        QVERIFY(pushed.ok());
        QVERIFY(s->removeUserMappings(Area::Inbound, {u"dave@corp.example"_s})
                    .ok()); // unpushed edit, must stay unpushed
        WaveStore waves(*s);

        // Due order: T-24h check, T-1h check, apply, then expiry.
        QCOMPARE(waves.due(utc(u"2026-12-11T20:59:00Z"_s))->size(), 0);
        QCOMPARE(waves.due(utc(u"2026-12-11T21:00:00Z"_s))->first().action, WaveStore::Action::Check24h);
        QCOMPARE(waves.due(utc(u"2026-12-12T20:30:00Z"_s))->first().action, WaveStore::Action::Check1h);
        QCOMPARE(waves.due(utc(u"2026-12-12T21:00:00Z"_s))->first().action, WaveStore::Action::Apply);

        const auto applied = waves.apply(u"w1"_s, utc(u"2026-12-12T21:00:00Z"_s), u"at its time"_s);
        QVERIFY2(applied.ok(), qPrintable(applied.error));
        QCOMPARE(applied->generation, pushed->generation + 1);
        QCOMPARE(*s->activeGeneration(), applied->generation);
        const auto active = s->generationConfig(applied->generation);
        QCOMPARE(targetOf(*active, Area::Inbound, u"bob@corp.example"_s), u"bob@new.example"_s);
        QCOMPARE(targetOf(*active, Area::Inbound, u"carol@corp.example"_s), u"carol@new.example"_s);
        QCOMPARE(targetOf(*active, Area::Outbound, u"bob@new.example"_s), u"bob@corp.example"_s);
        QCOMPARE(targetOf(*active, Area::Inbound, u"dave@corp.example"_s), u"dave@old.example"_s);
        // The draft got the same edit and kept its own.
        const ConfigData draft = s->draft();
        QCOMPARE(targetOf(draft, Area::Inbound, u"bob@corp.example"_s), u"bob@new.example"_s);
        QVERIFY(targetOf(draft, Area::Inbound, u"dave@corp.example"_s).isEmpty());
        // Diff and lint in the action log, as a push.
        QStringList log;
        for (const ActionLogEntry &e : s->actionLog(std::nullopt))
            log << e.message;
        QVERIFY2(log.contains(u"Wave w1 applied at its time (due 2026-12-12T21:00:00Z, 4 users)"_s),
                 qPrintable(log.join(u'\n')));
        QVERIFY(log.contains(u"inbound user ~ bob@corp.example: bob@old.example -> bob@new.example"_s) ||
                log.join(u'\n').contains(u"bob@old.example -> bob@new.example"_s));
        QVERIFY(log.contains(u"Configuration generation %1 is active."_s.arg(applied->generation)));

        QCOMPARE(waves.info(u"w1"_s)->status.state, WaveState::Active);
        QVERIFY(!waves.apply(u"w1"_s, utc(u"2026-12-12T21:01:00Z"_s), u"on demand"_s)); // once only
        QVERIFY(waves.due(utc(u"2026-12-13T20:59:00Z"_s))->isEmpty());
        const auto due = waves.due(utc(u"2026-12-13T21:00:00Z"_s));
        QCOMPARE(due->size(), 1);
        QCOMPARE(due->first().action, WaveStore::Action::Expire);
        const auto expired = waves.expire(u"w1"_s, utc(u"2026-12-13T21:00:00Z"_s));
        QVERIFY2(expired.ok(), qPrintable(expired.error));
        const auto after = s->generationConfig(expired->generation);
        // What the wave replaced is back; what it added is gone.
        QCOMPARE(targetOf(*after, Area::Inbound, u"bob@corp.example"_s), u"bob@old.example"_s);
        QVERIFY(targetOf(*after, Area::Inbound, u"carol@corp.example"_s).isEmpty());
        QVERIFY(targetOf(*after, Area::Outbound, u"bob@new.example"_s).isEmpty());
        QCOMPARE(waves.info(u"w1"_s)->status.state, WaveState::Expired);
        QVERIFY(waves.due(utc(u"2027-01-01T00:00:00Z"_s))->isEmpty());
    }

    void twoWavesSameMinuteInOrder()
    {
        auto s = base();
        QVERIFY(s);
        // Both move bob; "b" comes after "a" at the same time, so its target wins.
        QVERIFY(s->addWave(
            makeWave(u"b"_s, u"2026-12-12T21:00:00Z"_s, {{u"bob@corp.example"_s, u"bob@second.example"_s}})));
        QVERIFY(s->addWave(
            makeWave(u"a"_s, u"2026-12-12T21:00:00Z"_s, {{u"bob@corp.example"_s, u"bob@first.example"_s}})));
        QVERIFY(s->push().ok());
        WaveStore waves(*s);
        const auto due = waves.due(utc(u"2026-12-12T21:00:30Z"_s));
        QCOMPARE(due->size(), 2);
        QCOMPARE(due->at(0).name, u"a"_s);
        QCOMPARE(due->at(1).name, u"b"_s);
    }

    void cancelAndRollback()
    {
        auto s = base();
        QVERIFY(s);
        QVERIFY(s->addWave(
            makeWave(u"w1"_s, u"2026-12-12T21:00:00Z"_s, {{u"bob@corp.example"_s, u"bob@new.example"_s}})));
        QVERIFY(s->addWave(makeWave(u"w2"_s, u"2026-12-12T22:00:00Z"_s,
                                    {{u"carol@corp.example"_s, u"carol@new.example"_s}})));
        const auto pushed = s->push();
        QVERIFY(pushed.ok());
        WaveStore waves(*s);
        // Cancelling a pending wave makes no generation.
        QCOMPARE(*waves.cancel(u"w2"_s, utc(u"2026-12-12T20:00:00Z"_s)), 0);
        QCOMPARE(*s->activeGeneration(), pushed->generation);
        QVERIFY(!waves.cancel(u"w2"_s, utc(u"2026-12-12T20:00:00Z"_s)));
        const auto applied = waves.apply(u"w1"_s, utc(u"2026-12-12T21:00:00Z"_s), u"at its time"_s);
        QVERIFY(applied.ok());
        QVERIFY(waves.due(utc(u"2026-12-12T23:00:00Z"_s))->isEmpty()); // w2 cancelled, w1 active
        // A rollback after the wave is like any rollback: the mapping is gone,
        // and the wave is not applied again.
        const auto back = s->rollback();
        QVERIFY2(back.ok(), qPrintable(back.error));
        QCOMPARE(*back, pushed->generation);
        QCOMPARE(targetOf(*s->generationConfig(*back), Area::Inbound, u"bob@corp.example"_s),
                 u"bob@old.example"_s);
        QCOMPARE(targetOf(s->draft(), Area::Inbound, u"bob@corp.example"_s), u"bob@old.example"_s);
        QVERIFY(waves.due(utc(u"2026-12-12T23:00:00Z"_s))->isEmpty());
        QCOMPARE(waves.info(u"w1"_s)->status.state, WaveState::Active);
    }

    void recordsChecks()
    {
        auto s = base();
        QVERIFY(s);
        QVERIFY(s->addWave(
            makeWave(u"w1"_s, u"2026-12-12T21:00:00Z"_s, {{u"bob@corp.example"_s, u"bob@new.example"_s}})));
        Wave anyway =
            makeWave(u"w2"_s, u"2026-12-12T21:00:00Z"_s, {{u"carol@corp.example"_s, u"carol@new.example"_s}});
        anyway.applyAnyway = true;
        QVERIFY(s->addWave(anyway));
        QVERIFY(s->push().ok());
        WaveStore waves(*s);
        WaveCheck failed;
        failed.time = utc(u"2026-12-12T20:00:00Z"_s);
        failed.trigger = u"T-1h"_s;
        failed.items << WaveCheckItem{WaveCheckItem::Kind::Probe, false, u"bob@new.example"_s,
                                      u"refused: 550 5.1.1 no"_s};
        QCOMPARE(waves.recordCheck(u"w1"_s, failed)->state, WaveState::Held);
        QCOMPARE(waves.recordCheck(u"w2"_s, failed)->state, WaveState::Scheduled);
        // At its time only the apply-anyway wave is due; the held one waits.
        const auto due = waves.due(utc(u"2026-12-12T21:00:00Z"_s));
        QCOMPARE(due->size(), 1);
        QCOMPARE(due->first().name, u"w2"_s);
        const WaveStatus held = waves.info(u"w1"_s)->status;
        QVERIFY(held.checked1h);
        QVERIFY(held.lastCheck && !held.lastCheck->passed());
        QVERIFY(held.lastCheck->lines().first().startsWith(u"FAIL probe bob@new.example"_s));
        bool logged = false;
        for (const ActionLogEntry &e : s->actionLog(std::nullopt))
            logged = logged || e.message.contains(u"Wave w1 T-1h check FAILED"_s);
        QVERIFY(logged);
        // A later passing check releases it.
        WaveCheck ok;
        ok.time = utc(u"2026-12-12T20:10:00Z"_s);
        ok.trigger = u"on demand"_s;
        ok.items << WaveCheckItem{WaveCheckItem::Kind::Lint, true, {}, u"valid"_s};
        QCOMPARE(waves.recordCheck(u"w1"_s, ok)->state, WaveState::Checked);
    }
};

QTEST_GUILESS_MAIN(TestWaveStore)
#include "tst_wavestore.moc"
