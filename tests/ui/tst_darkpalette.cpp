// Colours from the palette (issue 12): under a dark Fusion palette every
// status colour the console produces (banners, validation messages, log and
// readiness status cells) keeps a WCAG contrast of at least 4.5 with what it
// is drawn on, the tinted backgrounds are dark (no pastel patch with light
// text on it), and the same holds for the light palette. A screenshot of the
// window under the dark palette is saved (tst_darkpalette-window.png in the
// working folder, or in MAILROUTE_SCREENSHOT_DIR).
#include "tests/ui/darkpalette.h"
#include "tests/ui/uitest.h"
#include "ui/areaconfigpage.h"
#include "ui/infobanner.h"
#include "ui/mainwindow.h"
#include "ui/mappingdialog.h"
#include "ui/messagelogmodel.h"
#include "ui/readinesspage.h"
#include "ui/themecolours.h"

#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QStyleFactory>

#include <memory>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

const Tone kTones[] = {Tone::Info, Tone::Good, Tone::Warning, Tone::Bad};

QString describe(const QColor &fg, const QColor &bg)
{
    return u"%1 on %2: %3"_s.arg(fg.name(), bg.name()).arg(theme::contrastRatio(fg, bg), 0, 'f', 2);
}

// The mean relative luminance of an image (a grabbed widget).
double meanLuminance(const QImage &image)
{
    double sum = 0;
    qint64 n = 0;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2) {
            sum += theme::relativeLuminance(image.pixelColor(x, y));
            ++n;
        }
    }
    return n ? sum / double(n) : 0;
}

QString screenshotDir()
{
    const QString dir = qEnvironmentVariable("MAILROUTE_SCREENSHOT_DIR");
    return dir.isEmpty() ? QDir::currentPath() : dir;
}

} // namespace

class TestDarkPalette final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        useDarkFusion();
        QCOMPARE(QApplication::style()->name().toLower(), u"fusion"_s);
        QVERIFY(theme::relativeLuminance(QApplication::palette().color(QPalette::Window)) < 0.05);
    }

    // The WCAG formula itself, against known values.
    void contrastRatioIsWcag()
    {
        QCOMPARE(qRound(theme::contrastRatio(Qt::black, Qt::white) * 100), 2100);
        QCOMPARE(qRound(theme::contrastRatio(Qt::white, Qt::white) * 100), 100);
        // #767676 on white is the classic 4.54:1.
        QCOMPARE(qRound(theme::contrastRatio(QColor(0x76, 0x76, 0x76), Qt::white) * 100), 454);
    }

    void toneColoursAreReadableOnBothPalettes_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("dark") << darkPalette();
        const std::unique_ptr<QStyle> fusion(QStyleFactory::create(u"Fusion"_s));
        QTest::newRow("light fusion") << fusion->standardPalette();
    }
    void toneColoursAreReadableOnBothPalettes()
    {
        QFETCH(QPalette, palette);
        const bool dark = theme::relativeLuminance(palette.color(QPalette::Base)) < 0.18;
        for (Tone tone : kTones) {
            for (auto role : {QPalette::Base, QPalette::Window}) {
                const QColor bg = palette.color(role);
                const QColor fg = theme::toneText(tone, bg, palette);
                QVERIFY2(theme::contrastRatio(fg, bg) >= 4.5, qPrintable(describe(fg, bg)));
            }
            const QColor tinted = theme::toneBackground(tone, palette);
            const QColor text = palette.color(QPalette::Text);
            QVERIFY2(theme::contrastRatio(text, tinted) >= 4.5, qPrintable(describe(text, tinted)));
            // Dark stays dark: no pastel patch under light text.
            QCOMPARE(theme::relativeLuminance(tinted) < 0.18, dark);
        }
        for (auto status : {ReadinessStatus::Ok, ReadinessStatus::Warning, ReadinessStatus::Failure}) {
            const QColor cell = ReadinessPage::statusColor(status, palette);
            const QColor text = palette.color(QPalette::Text);
            QVERIFY2(theme::contrastRatio(text, cell) >= 4.5, qPrintable(describe(text, cell)));
        }
    }

    void bannersAreDarkAndReadable()
    {
        QWidget host;
        host.resize(600, 200);
        auto *banner = new InfoBanner(&host);
        banner->setGeometry(0, 0, 600, 60);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        for (auto kind : {InfoBanner::Kind::Info, InfoBanner::Kind::Success, InfoBanner::Kind::Warning,
                          InfoBanner::Kind::Error}) {
            banner->showMessage(u"Saved to the draft: push to make it active."_s, kind);
            const QColor bg = banner->palette().color(QPalette::Window);
            auto *text = banner->findChild<QLabel *>(u"bannerText"_s);
            QVERIFY(text);
            const QColor fg = text->palette().color(QPalette::WindowText);
            QVERIFY2(theme::contrastRatio(fg, bg) >= 4.5, qPrintable(describe(fg, bg)));
            QVERIFY2(theme::relativeLuminance(bg) < 0.1, qPrintable(bg.name()));
            // What is painted, not only what the palette says.
            const QImage shot = banner->grab().toImage();
            QVERIFY2(meanLuminance(shot) < 0.15, qPrintable(QString::number(meanLuminance(shot))));
        }
    }

    // The theme switched while the console runs: the banner's tint follows.
    void bannerFollowsAThemeSwitch()
    {
        QWidget host;
        host.resize(600, 100);
        auto *banner = new InfoBanner(&host);
        banner->setGeometry(0, 0, 600, 60);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        banner->showMessage(u"Unpushed changes."_s, InfoBanner::Kind::Warning);
        QVERIFY(theme::relativeLuminance(banner->palette().color(QPalette::Window)) < 0.1);
        const std::unique_ptr<QStyle> fusion(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(fusion->standardPalette());
        QTest::qWait(50);
        const QColor bg = banner->palette().color(QPalette::Window);
        const QColor fg = banner->findChild<QLabel *>(u"bannerText"_s)->palette().color(QPalette::WindowText);
        QApplication::setPalette(darkPalette());
        QVERIFY2(theme::relativeLuminance(bg) > 0.5, qPrintable(bg.name()));
        QVERIFY2(theme::contrastRatio(fg, bg) >= 4.5, qPrintable(describe(fg, bg)));
        QTest::qWait(50);
        QVERIFY(theme::relativeLuminance(banner->palette().color(QPalette::Window)) < 0.1);
    }

    void logStatusColoursAreReadable()
    {
        MessageLogModel model(100);
        QList<MessageLogRow> rows;
        for (auto kind : {MessageLogKind::Delivered, MessageLogKind::Deferred, MessageLogKind::Bounced,
                          MessageLogKind::Error}) {
            MessageLogRow r;
            r.kind = kind;
            r.event = u"event"_s;
            rows << r;
        }
        model.append(rows);
        const QColor base = QApplication::palette().color(QPalette::Base);
        for (int row = 0; row < model.rowCount(); ++row) {
            const QColor fg = model.data(model.index(row, MessageLogModel::EventColumn), Qt::ForegroundRole)
                                  .value<QBrush>()
                                  .color();
            QVERIFY2(fg.isValid(), qPrintable(QString::number(row)));
            QVERIFY2(theme::contrastRatio(fg, base) >= 4.5, qPrintable(describe(fg, base)));
        }
    }

    void validationMessageIsReadable()
    {
        MappingDialog dialog(MappingDialog::Kind::Domain, Area::Inbound,
                             [](const QString &) { return false; });
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.showError(u"This domain is refused."_s);
        bool seen = false;
        const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
        for (QLabel *label : labels) {
            if (label->text() != u"This domain is refused."_s)
                continue;
            seen = true;
            const QColor fg = label->palette().color(QPalette::WindowText);
            const QColor bg = label->palette().color(QPalette::Window);
            QVERIFY2(theme::contrastRatio(fg, bg) >= 4.5, qPrintable(describe(fg, bg)));
            // Still red-ish: the status hue is kept.
            QVERIFY2(fg.red() > fg.green() && fg.red() > fg.blue(), qPrintable(fg.name()));
        }
        QVERIFY(seen);
    }

    void windowScreenshotUnderDarkPalette()
    {
        TempDb db;
        QVERIFY(db.ok());
        db.store()->addDomainMapping(Area::Inbound, u"warmsushi.com"_s, u"drypizza.com"_s);
        db.store()->addUserMapping(Area::Inbound, u"bob@warmsushi.com"_s, u"bob.owen@drypizza.com"_s);
        MainWindow window(db.store());
        window.resize(1100, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Page::InboundConfig);
        window.configPage(Area::Inbound)
            ->banner()
            ->showMessage(u"Domain mapping changed. Push to apply it."_s, InfoBanner::Kind::Success);
        QTest::qWait(300);
        const QImage shot = window.grab().toImage();
        QVERIFY(!shot.isNull());
        // A dark window: the light theme's pastel or white areas would lift this.
        QVERIFY2(meanLuminance(shot) < 0.12, qPrintable(QString::number(meanLuminance(shot))));
        const QString path = QDir(screenshotDir()).filePath(u"tst_darkpalette-window.png"_s);
        QVERIFY2(shot.save(path), qPrintable(path));
        qInfo("screenshot: %s", qPrintable(path));
    }
};

MAILROUTE_GUI_TEST_MAIN(TestDarkPalette)
#include "tst_darkpalette.moc"
