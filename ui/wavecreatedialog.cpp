#include "ui/wavecreatedialog.h"

#include "relaycore/csv/wavefile.h"
#include "relaycore/routing/roundtrip.h"
#include "relaycore/routing/waveplan.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"
#include "ui/filedialogs.h"
#include "ui/importpreviewmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace mailroute {

struct WaveCreateDialog::Read
{
    int generation = 0;
    QString error; // the file cannot be read, or every error in it
    QList<WaveMapping> mappings;
    QList<ImportPreviewModel::Row> rows; // the first kPreviewRows of each kind
    qsizetype added = 0;
    qsizetype changed = 0;
    qsizetype unchanged = 0;
    qsizetype inverses = 0;  // Outbound inverses --with-outbound adds
    qsizetype conflicts = 0; // Inbound mappings whose target an Outbound rule sends elsewhere
};

namespace {

// 22:00 local time today, or tomorrow when that has passed: outside office hours.
QDateTime defaultActivation(const QDateTime &nowUtc)
{
    const QDateTime local = nowUtc.toLocalTime();
    QDateTime at(local.date(), QTime(22, 0));
    if (at <= local.addSecs(3600))
        at = at.addDays(1);
    return at;
}

} // namespace

WaveCreateDialog::WaveCreateDialog(BackgroundStore *background, const QDateTime &nowUtc, QWidget *parent)
    : QDialog(parent), m_background(background), m_name(new QLineEdit(this)), m_area(new QComboBox(this)),
      m_at(new QDateTimeEdit(this)), m_expireCheck(new QCheckBox(tr("E&xpires"), this)),
      m_expire(new QDateTimeEdit(this)), m_file(new QLineEdit(this)),
      m_browse(new QPushButton(tr("&Browse…"), this)), m_targetDomain(new QLineEdit(this)),
      m_withOutbound(
          new QCheckBox(tr("Also create the Outbound &inverses (replies keep the original address)"), this)),
      m_applyAnyway(new QCheckBox(tr("Apply at its time even if a check &fails"), this)),
      m_summary(new QLabel(this)), m_errors(new QListWidget(this)), m_preview(new QTableView(this)),
      m_previewModel(new ImportPreviewModel(this)), m_create(new QPushButton(tr("C&reate"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(QStringLiteral("waveCreateDialog"));
    setWindowTitle(tr("Create wave"));
    m_name->setObjectName(QStringLiteral("waveName"));
    m_name->setPlaceholderText(tr("e.g. sales-week-1"));
    m_name->setMaxLength(64);
    m_area->setObjectName(QStringLiteral("waveArea"));
    m_area->addItem(areaTitle(Area::Inbound), QVariant::fromValue(int(Area::Inbound)));
    m_area->addItem(areaTitle(Area::Outbound), QVariant::fromValue(int(Area::Outbound)));
    for (QDateTimeEdit *e : {m_at, m_expire}) {
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        e->setCalendarPopup(true);
        e->setTimeSpec(Qt::LocalTime);
    }
    m_at->setObjectName(QStringLiteral("waveAt"));
    m_expire->setObjectName(QStringLiteral("waveExpire"));
    m_expireCheck->setObjectName(QStringLiteral("waveExpireCheck"));
    m_at->setDateTime(defaultActivation(nowUtc));
    m_expire->setDateTime(m_at->dateTime().addDays(14));
    m_expire->setEnabled(false);
    m_file->setObjectName(QStringLiteral("waveFile"));
    m_file->setReadOnly(true);
    m_file->setPlaceholderText(tr("A user list (Source;Target) or a migration batch file"));
    m_browse->setObjectName(QStringLiteral("waveBrowse"));
    m_targetDomain->setObjectName(QStringLiteral("waveTargetDomain"));
    m_targetDomain->setPlaceholderText(
        tr("Only for a batch file with an EmailAddress column, e.g. drypizza.com"));
    m_withOutbound->setObjectName(QStringLiteral("waveWithOutbound"));
    m_withOutbound->setChecked(true);
    m_applyAnyway->setObjectName(QStringLiteral("waveApplyAnyway"));
    m_summary->setObjectName(QStringLiteral("waveSummary"));
    m_summary->setWordWrap(true);
    m_errors->setObjectName(QStringLiteral("waveErrors"));
    m_errors->setAccessibleName(tr("Errors in the file"));
    m_preview->setObjectName(QStringLiteral("wavePreview"));
    m_preview->setAccessibleName(tr("What the wave changes"));
    showPreviewIn(m_preview, m_previewModel);
    m_create->setObjectName(QStringLiteral("waveCreateButton"));
    m_cancel->setObjectName(QStringLiteral("waveCancelButton"));
    m_create->setAutoDefault(false);
    m_cancel->setAutoDefault(false);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    auto *expireRow = new QHBoxLayout;
    expireRow->addWidget(m_expireCheck);
    expireRow->addWidget(m_expire, 1);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("A&rea:"), m_area);
    form->addRow(tr("&Activation (local time):"), m_at);
    form->addRow(tr("Expiry:"), expireRow);
    auto *fileLabel = new QLabel(tr("&File:"), this); // a layout as the field: the buddy is set by hand
    fileLabel->setBuddy(m_browse);
    form->addRow(fileLabel, fileRow);
    form->addRow(tr("&Target domain:"), m_targetDomain);
    form->addRow(QString(), m_withOutbound);
    form->addRow(QString(), m_applyAnyway);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_create);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_errors, 1);
    layout->addWidget(m_preview, 1);
    layout->addLayout(buttons);

    connect(m_browse, &QPushButton::clicked, this, &WaveCreateDialog::browse);
    connect(m_create, &QPushButton::clicked, this, &WaveCreateDialog::create);
    connect(m_cancel, &QPushButton::clicked, this, &WaveCreateDialog::reject);
    connect(m_expireCheck, &QCheckBox::toggled, m_expire, &QWidget::setEnabled);
    connect(m_targetDomain, &QLineEdit::editingFinished, this, &WaveCreateDialog::preview);
    connect(m_area, &QComboBox::currentIndexChanged, this, [this] {
        m_withOutbound->setEnabled(area() == Area::Inbound);
        preview();
    });
    connect(m_withOutbound, &QCheckBox::toggled, this, &WaveCreateDialog::preview);

    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    resize(em * 64, em * 44);
    setStage(Stage::NoFile);
}

Area WaveCreateDialog::area() const
{
    return static_cast<Area>(m_area->currentData().toInt());
}

QString WaveCreateDialog::summary() const
{
    return m_summary->text();
}

QString WaveCreateDialog::errorText() const
{
    QStringList lines;
    for (int i = 0; i < m_errors->count(); ++i)
        lines << m_errors->item(i)->text();
    return lines.join(QLatin1Char('\n'));
}

void WaveCreateDialog::setStage(Stage stage)
{
    m_stage = stage;
    m_errors->setVisible(stage == Stage::Refused);
    m_preview->setVisible(stage == Stage::Preview || stage == Stage::Creating);
    m_create->setEnabled(stage == Stage::Preview);
    m_cancel->setEnabled(stage != Stage::Creating);
    if (stage == Stage::NoFile)
        m_summary->setText(tr("Choose the file of the wave's users."));
    else if (stage == Stage::Reading)
        m_summary->setText(tr("Reading and checking the file…"));
    emit stageChanged(stage);
}

void WaveCreateDialog::browse()
{
    FileDialogs::openCsv(this, QStringLiteral("waveFileDialog"), tr("Wave file"),
                         [this](const QString &path) { setFile(path); });
}

void WaveCreateDialog::setFile(const QString &path)
{
    m_path = path;
    m_file->setText(QDir::toNativeSeparators(path));
    preview();
}

void WaveCreateDialog::preview()
{
    if (m_path.isEmpty() || m_stage == Stage::Creating)
        return;
    setStage(Stage::Reading);
    const int generation = ++m_generation;
    const QString path = m_path;
    const QString targetDomain = m_targetDomain->text().trimmed();
    const Area waveArea = area();
    const bool withOutbound = waveArea == Area::Inbound && m_withOutbound->isChecked();
    m_background->run(
        this,
        [=](ConfigStore &store) {
            Read r;
            r.generation = generation;
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                r.error = tr("Cannot read %1: %2").arg(path, file.errorString());
                return r;
            }
            const Result<QList<WaveMapping>> parsed = parseWaveFile(file.readAll(), targetDomain);
            if (!parsed) {
                r.error = parsed.error;
                return r;
            }
            r.mappings = *parsed;
            // As the upload's preview: new sources, and those whose target changes.
            QHash<QString, QString> current;
            for (const UserMapping &m : store.userMappings(waveArea))
                current.insert(m.source.toLower(), m.target);
            for (const WaveMapping &m : r.mappings) {
                const auto it = current.constFind(m.source.toLower());
                if (it == current.cend()) {
                    if (r.added++ < kPreviewRows)
                        r.rows.append({ImportPreviewModel::Change::New, m.source, QString(), m.target});
                } else if (it->toLower() != m.target.toLower()) {
                    if (r.changed++ < kPreviewRows)
                        r.rows.append({ImportPreviewModel::Change::Changed, m.source, *it, m.target});
                } else {
                    ++r.unchanged;
                }
            }
            if (withOutbound) {
                const RoundTripCheck rt =
                    checkRoundTrip(toUserMappings(r.mappings), store.draft().area(Area::Outbound));
                r.inverses = rt.missing.size();
                r.conflicts = rt.conflicts.size() + rt.ambiguous.size();
            }
            return r;
        },
        [this](const Read &r) { showRead(r); });
}

void WaveCreateDialog::showRead(const Read &r)
{
    if (r.generation != m_generation || m_stage == Stage::Creating)
        return; // a newer preview is on its way
    m_errors->clear();
    if (!r.error.isEmpty()) {
        m_mappings.clear();
        m_previewModel->setRows({});
        m_errors->addItems(r.error.split(QLatin1Char('\n'), Qt::SkipEmptyParts));
        m_summary->setText(tr("The file cannot be used; nothing was created."));
        setStage(Stage::Refused);
        return;
    }
    m_mappings = r.mappings;
    m_previewModel->setRows(r.rows);
    const QLocale l;
    QString text = tr("%n user(s) in the file: %1 new, %2 with another target, %3 unchanged.", nullptr,
                      int(r.mappings.size()))
                       .arg(l.toString(r.added), l.toString(r.changed), l.toString(r.unchanged));
    if (area() == Area::Inbound && m_withOutbound->isChecked()) {
        text += QLatin1Char(' ') +
                tr("%n Outbound inverse(s) will be added with them.", nullptr, int(r.inverses));
        if (r.conflicts > 0)
            text += QLatin1Char(' ') + tr("%n target(s) already have another Outbound mapping or are shared; "
                                          "they are left as they are.",
                                          nullptr, int(r.conflicts));
    }
    m_summary->setText(text);
    setStage(Stage::Preview);
}

void WaveCreateDialog::create()
{
    if (m_stage != Stage::Preview)
        return;
    Wave wave;
    wave.name = m_name->text().trimmed();
    if (const std::optional<QString> error = waveNameError(wave.name)) {
        m_summary->setText(tr("The name is not valid: %1").arg(*error));
        m_name->setFocus();
        return;
    }
    wave.area = area();
    wave.users = m_mappings;
    wave.at = m_at->dateTime().toUTC();
    wave.at.setTime(QTime(wave.at.time().hour(), wave.at.time().minute(), wave.at.time().second()));
    if (m_expireCheck->isChecked()) {
        wave.expire = m_expire->dateTime().toUTC();
        if (wave.expire <= wave.at) {
            m_summary->setText(tr("The expiry must come after the activation."));
            m_expire->setFocus();
            return;
        }
    }
    wave.withOutbound = wave.area == Area::Inbound && m_withOutbound->isChecked();
    wave.applyAnyway = m_applyAnyway->isChecked();
    setStage(Stage::Creating);
    m_summary->setText(tr("Adding wave %1 to the draft…").arg(wave.name));
    m_background->run(
        this,
        [wave](ConfigStore &store) mutable {
            if (wave.withOutbound) // the inverses as the draft stands now (roundtrip.h)
                wave.outbound = toWaveMappings(
                    checkRoundTrip(toUserMappings(wave.users), store.draft().area(Area::Outbound))
                        .inverses());
            const Status st = store.addWave(wave);
            return st ? QString() : st.error;
        },
        [this, name = wave.name](const QString &error) {
            if (!error.isEmpty()) {
                setStage(Stage::Preview);
                m_summary->setText(tr("The wave was not created: %1").arg(error));
                return;
            }
            emit created(name);
            accept();
        });
}

} // namespace mailroute
