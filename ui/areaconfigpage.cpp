#include "ui/areaconfigpage.h"

#include "relaycore/routing/mailaddress.h"
#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"
#include "ui/csvimportdialog.h"
#include "ui/domainmappingmodel.h"
#include "ui/draftundo.h"
#include "ui/emptystateoverlay.h"
#include "ui/filedialogs.h"
#include "ui/infobanner.h"
#include "ui/mappingdelegate.h"
#include "ui/mappingdialog.h"
#include "ui/userlistexport.h"
#include "ui/usermappingmodel.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace mailroute {

namespace {

QTableView *makeTable(const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    // Tab leaves the table (arrows move between cells), as in a form.
    view->setTabKeyNavigation(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    // Uniform rows: the view never measures a million of them.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setSortIndicator(0, Qt::AscendingOrder);
    view->horizontalHeader()->setSortIndicatorShown(true);
    return view;
}

QLineEdit *makeFilter(const QString &name, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}

QString csvPath(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1)
        return {};
    const QUrl url = mime->urls().constFirst();
    if (!url.isLocalFile() || !url.toLocalFile().endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        return {};
    return url.toLocalFile();
}

} // namespace

AreaConfigPage::AreaConfigPage(ConfigStore *store, BackgroundStore *background, Area area, QWidget *parent)
    : QWidget(parent), m_store(store), m_background(background), m_area(area)
{
    setObjectName(QStringLiteral("configPage_") + areaKey(area));
    auto *layout = new QVBoxLayout(this);

    auto *title = new QLabel(tr("%1 — Configuration").arg(areaTitle(area)), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);

    auto *purpose = new QLabel(this);
    purpose->setWordWrap(true);
    switch (area) {
    case Area::Relay:
        purpose->setText(
            tr("Short-term domain moves between tenants (about 48 hours): recipients of the original "
               "domain are redirected to the same user at the new domain."));
        break;
    case Area::Inbound:
        purpose->setText(
            tr("Routing during a staged migration or coexistence: each recipient goes to the mailbox "
               "where the user lives today. A user mapping wins over its domain's mapping."));
        break;
    case Area::Outbound:
        purpose->setText(tr("Mail systems send through the relay so that senders keep the address the world "
                            "knows: senders are rewritten. A user mapping wins over its domain's mapping."));
        break;
    }
    layout->addWidget(purpose);

    m_banner = new InfoBanner(this);
    layout->addWidget(m_banner);
    m_emptyHint = new QLabel(this);
    m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
    m_emptyHint->setWordWrap(true);
    layout->addWidget(m_emptyHint);

    buildActions();

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);

    // Domain mappings: a few hundred at most, sorted and filtered in memory.
    auto *domainBox = new QGroupBox(tr("Domain mappings"), splitter);
    auto *domainLayout = new QVBoxLayout(domainBox);
    m_domainFilter = makeFilter(QStringLiteral("domainFilter"), tr("Filter domains"), domainBox);
    m_domainFilter->setAccessibleName(tr("Filter domain mappings"));
    m_domainFilter->setAccessibleDescription(tr("Shows only the domain mappings that contain this text."));
    domainLayout->addWidget(m_domainFilter);
    m_domainModel = new DomainMappingModel(store, area, this);
    m_domainProxy = new QSortFilterProxyModel(this);
    m_domainProxy->setSourceModel(m_domainModel);
    m_domainProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_domainProxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_domainProxy->setFilterKeyColumn(-1);
    m_domainView = makeTable(QStringLiteral("domainTable"), domainBox);
    m_domainView->setAccessibleName(tr("Domain mappings"));
    m_domainView->setAccessibleDescription(
        tr("One domain mapping per row. F2 edits a cell, Space checks a row, Delete deletes the checked or "
           "selected rows."));
    m_domainView->setModel(m_domainProxy);
    m_domainView->setSortingEnabled(true);
    m_domainView->sortByColumn(DomainMappingModel::SourceColumn, Qt::AscendingOrder);
    auto *domainDelegate = new MappingDelegate(MappingDelegate::Kind::Domain, m_domainView);
    m_domainView->setItemDelegate(domainDelegate);
    m_domainView->addAction(m_deleteDomains);
    new EmptyStateOverlay(
        m_domainView, tr("No domain mappings yet.\nUse Domains ▸ Create Domain Mapping to redirect a whole "
                         "domain (@old.example → @new.example)."));
    domainLayout->addWidget(m_domainView);
    m_domainCount = new QLabel(domainBox);
    m_domainCount->setObjectName(QStringLiteral("domainCount"));
    domainLayout->addWidget(m_domainCount);
    splitter->addWidget(domainBox);
    connect(m_domainFilter, &QLineEdit::textChanged, m_domainProxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_domainFilter, &QLineEdit::textChanged, this, &AreaConfigPage::updateCounts);
    connect(domainDelegate, &MappingDelegate::invalidInput, this,
            [this](const QString &why) { m_banner->showMessage(why, InfoBanner::Kind::Error); });
    connect(m_domainModel, &DomainMappingModel::editFailed, this,
            [this](const QString &why) { m_banner->showMessage(why, InfoBanner::Kind::Error); });
    connect(m_domainModel, &DomainMappingModel::edited, this, [this] {
        m_banner->showMessage(tr("Domain mapping changed. Push to apply it to the relay."),
                              InfoBanner::Kind::Success);
        emit changed();
    });
    connect(m_domainModel, &DomainMappingModel::checkedCountChanged, this, &AreaConfigPage::updateCounts);

    if (areaHasUsers(area)) {
        // User mappings: up to millions, paged, sorted and filtered by the store.
        auto *userBox = new QGroupBox(tr("User mappings"), splitter);
        auto *userLayout = new QVBoxLayout(userBox);
        m_userFilter = makeFilter(QStringLiteral("userFilter"),
                                  tr("Filter users (source or target contains…)"), userBox);
        m_userFilter->setAccessibleName(tr("Filter user mappings"));
        m_userFilter->setAccessibleDescription(
            tr("Shows only the user mappings whose source or target contains "
               "this text."));
        userLayout->addWidget(m_userFilter);
        m_userModel = new UserMappingModel(store, area, this);
        // Pages of a million-row list are read on a thread of their own, so
        // scrolling never waits for SQLite (nor for an import on the other worker).
        m_userModel->setPager(new BackgroundStore(store->path(), m_userModel));
        m_userView = makeTable(QStringLiteral("userTable"), userBox);
        m_userView->setAccessibleName(tr("User mappings"));
        m_userView->setAccessibleDescription(
            tr("One user mapping per row. F2 edits a cell, Space checks a row, Delete deletes the checked or "
               "selected rows."));
        m_userView->setModel(m_userModel);
        m_userView->setSortingEnabled(true);
        auto *userDelegate = new MappingDelegate(MappingDelegate::Kind::Mailbox, m_userView);
        m_userView->setItemDelegate(userDelegate);
        m_userView->addAction(m_deleteUsers);
        m_userView->setAcceptDrops(true);
        m_userView->viewport()->setAcceptDrops(true);
        m_userView->viewport()->installEventFilter(this);
        new EmptyStateOverlay(m_userView,
                              tr("No user mappings yet.\nUse Users ▸ Upload CSV (or drop a .csv file "
                                 "here) for a whole list, or Users ▸ Create User Mapping for one."));
        userLayout->addWidget(m_userView);
        m_userCount = new QLabel(userBox);
        m_userCount->setObjectName(QStringLiteral("userCount"));
        userLayout->addWidget(m_userCount);
        splitter->addWidget(userBox);
        splitter->setStretchFactor(0, 1);
        splitter->setStretchFactor(1, 2);

        // The store filters a million rows with LIKE: wait until typing pauses.
        m_userFilterDelay = new QTimer(this);
        m_userFilterDelay->setSingleShot(true);
        m_userFilterDelay->setInterval(250);
        connect(m_userFilter, &QLineEdit::textChanged, m_userFilterDelay, qOverload<>(&QTimer::start));
        connect(m_userFilterDelay, &QTimer::timeout, this, [this] {
            m_userModel->setFilter(m_userFilter->text().trimmed());
            updateCounts();
        });
        connect(userDelegate, &MappingDelegate::invalidInput, this,
                [this](const QString &why) { m_banner->showMessage(why, InfoBanner::Kind::Error); });
        connect(m_userModel, &UserMappingModel::editFailed, this,
                [this](const QString &why) { m_banner->showMessage(why, InfoBanner::Kind::Error); });
        connect(m_userModel, &UserMappingModel::edited, this, [this] {
            m_banner->showMessage(tr("User mapping changed. Push to apply it to the relay."),
                                  InfoBanner::Kind::Success);
            emit changed();
        });
        connect(m_userModel, &UserMappingModel::notice, this, [this](const QString &text) {
            m_banner->showMessage(text, InfoBanner::Kind::Info);
            m_userView->horizontalHeader()->setSortIndicator(
                UserMappingModel::SourceColumn, m_userView->horizontalHeader()->sortIndicatorOrder());
        });
        connect(m_userModel, &UserMappingModel::checkedCountChanged, this, &AreaConfigPage::updateCounts);
        connect(m_userModel, &UserMappingModel::countsChanged, this, &AreaConfigPage::updateCounts);
    }
    layout->addWidget(splitter, 1);
    layout->addWidget(buildActionBar());
    // Which table the keyboard works in (Ctrl+F).
    for (QWidget *w : {static_cast<QWidget *>(m_domainView), static_cast<QWidget *>(m_domainFilter),
                       static_cast<QWidget *>(m_userView), static_cast<QWidget *>(m_userFilter)}) {
        if (w)
            w->installEventFilter(this);
    }
    m_lastTable = m_domainView;
    reload();
}

void AreaConfigPage::buildActions()
{
    m_createDomain = new QAction(tr("Create Domain Mapping…"), this);
    m_createDomain->setObjectName(QStringLiteral("createDomainAction"));
    m_deleteDomains = new QAction(tr("Delete Domain Mapping(s)…"), this);
    m_deleteDomains->setObjectName(QStringLiteral("deleteDomainsAction"));
    m_deleteDomains->setShortcut(QKeySequence::Delete);
    m_deleteDomains->setShortcutContext(Qt::WidgetShortcut);
    connect(m_createDomain, &QAction::triggered, this, &AreaConfigPage::createDomain);
    connect(m_deleteDomains, &QAction::triggered, this, &AreaConfigPage::deleteDomains);
    if (!areaHasUsers(m_area))
        return;
    m_uploadCsv = new QAction(tr("Upload CSV…"), this);
    m_uploadCsv->setObjectName(QStringLiteral("uploadCsvAction"));
    m_sampleCsv = new QAction(tr("Download sample CSV…"), this);
    m_sampleCsv->setObjectName(QStringLiteral("sampleCsvAction"));
    m_exportUsers = new QAction(tr("Export UserList…"), this);
    m_exportUsers->setObjectName(QStringLiteral("exportUsersAction"));
    m_createUser = new QAction(tr("Create User Mapping…"), this);
    m_createUser->setObjectName(QStringLiteral("createUserAction"));
    m_deleteUsers = new QAction(tr("Delete User(s) Mapping…"), this);
    m_deleteUsers->setObjectName(QStringLiteral("deleteUsersAction"));
    m_deleteUsers->setShortcut(QKeySequence::Delete);
    m_deleteUsers->setShortcutContext(Qt::WidgetShortcut);
    connect(m_uploadCsv, &QAction::triggered, this, &AreaConfigPage::uploadCsv);
    connect(m_sampleCsv, &QAction::triggered, this, &AreaConfigPage::downloadSample);
    connect(m_exportUsers, &QAction::triggered, this, &AreaConfigPage::exportUsers);
    connect(m_createUser, &QAction::triggered, this, &AreaConfigPage::createUser);
    connect(m_deleteUsers, &QAction::triggered, this, &AreaConfigPage::deleteUsers);
}

QWidget *AreaConfigPage::buildActionBar()
{
    auto *bar = new QFrame(this);
    bar->setObjectName(QStringLiteral("actionBar"));
    bar->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(6, 6, 6, 6);

    m_domainsButton = new QToolButton(bar);
    m_domainsButton->setObjectName(QStringLiteral("domainsMenuButton"));
    m_domainsButton->setText(tr("&Domains"));
    m_domainsButton->setAccessibleDescription(tr("Menu: create or delete domain mappings"));
    m_domainsButton->setPopupMode(QToolButton::InstantPopup);
    m_domainsButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *domainsMenu = new QMenu(m_domainsButton);
    domainsMenu->setObjectName(QStringLiteral("domainsMenu"));
    domainsMenu->addAction(m_createDomain);
    domainsMenu->addAction(m_deleteDomains);
    m_domainsButton->setMenu(domainsMenu);
    layout->addWidget(m_domainsButton);

    if (areaHasUsers(m_area)) {
        m_usersButton = new QToolButton(bar);
        m_usersButton->setObjectName(QStringLiteral("usersMenuButton"));
        m_usersButton->setText(tr("&Users"));
        m_usersButton->setAccessibleDescription(
            tr("Menu: upload, export or download a sample CSV, create or delete user mappings"));
        m_usersButton->setPopupMode(QToolButton::InstantPopup);
        m_usersButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
        auto *usersMenu = new QMenu(m_usersButton);
        usersMenu->setObjectName(QStringLiteral("usersMenu"));
        usersMenu->addAction(m_uploadCsv);
        usersMenu->addAction(m_sampleCsv);
        usersMenu->addAction(m_exportUsers);
        usersMenu->addSeparator();
        usersMenu->addAction(m_createUser);
        usersMenu->addAction(m_deleteUsers);
        m_usersButton->setMenu(usersMenu);
        layout->addWidget(m_usersButton);
    }
    layout->addStretch(1);
    m_pendingLabel = new QLabel(bar);
    m_pendingLabel->setObjectName(QStringLiteral("pagePendingLabel"));
    layout->addWidget(m_pendingLabel);
    m_pushButton = new QPushButton(tr("&Push"), bar);
    m_pushButton->setObjectName(QStringLiteral("pushButton"));
    m_pushButton->setToolTip(tr("Review what changed since the last push, then make it active in the relay"));
    connect(m_pushButton, &QPushButton::clicked, this, &AreaConfigPage::pushRequested);
    layout->addWidget(m_pushButton);
    return bar;
}

void AreaConfigPage::reload()
{
    m_domainModel->reload();
    if (m_userModel)
        m_userModel->reload();
    updateCounts();
}

void AreaConfigPage::setPendingChanges(qint64 count, bool pushedOnce)
{
    if (count == -2)
        m_pendingLabel->setText(tr("Unpushed changes"));
    else if (count < 0)
        m_pendingLabel->setText(tr("Checking for unpushed changes…"));
    else if (count == 0)
        m_pendingLabel->setText(pushedOnce ? tr("Everything is pushed") : tr("Nothing to push yet"));
    else
        m_pendingLabel->setText(tr("%1 unpushed change(s)").arg(QLocale().toString(count)));
    QFont f = m_pushButton->font();
    f.setBold(count > 0 || count == -2);
    m_pushButton->setFont(f);
}

void AreaConfigPage::setUndo(DraftUndo *undo)
{
    m_undo = undo;
    connect(m_domainModel, &DomainMappingModel::mappingEdited, undo,
            [undo, area = m_area](const DomainMapping &before, const DomainMapping &after) {
                undo->domainEdited(area, before, after);
            });
    if (m_userModel)
        connect(m_userModel, &UserMappingModel::mappingEdited, undo,
                [undo, area = m_area](const UserMapping &before, const UserMapping &after) {
                    undo->userEdited(area, before, after);
                });
}

void AreaConfigPage::focusFilter()
{
    // The table the focus is in (or its filter, or a cell editor), else the
    // one last used.
    QWidget *focus = QApplication::focusWidget();
    auto within = [focus](QWidget *w) { return w && focus && (focus == w || w->isAncestorOf(focus)); };
    QLineEdit *filter = m_domainFilter;
    if (m_userView && (within(m_userView) || within(m_userFilter)))
        filter = m_userFilter;
    else if (!within(m_domainView) && !within(m_domainFilter) && m_userView && m_lastTable == m_userView)
        filter = m_userFilter;
    filter->setFocus(Qt::ShortcutFocusReason);
    filter->selectAll();
}

void AreaConfigPage::updateCounts()
{
    const int domains = m_domainModel->rowCount();
    const int shownDomains = m_domainProxy->rowCount();
    const int checkedDomains = static_cast<int>(m_domainModel->checkedSources().size());
    QString domainText = shownDomains == domains
                             ? tr("%n domain mapping(s)", nullptr, domains)
                             : tr("%1 of %n domain mapping(s) match", nullptr, domains).arg(shownDomains);
    if (checkedDomains > 0)
        domainText += QStringLiteral(" · ") + tr("%n checked", nullptr, checkedDomains);
    m_domainCount->setText(domainText);

    const qint64 users = m_userModel ? m_userModel->totalCount() : 0;
    if (m_userModel) {
        const QLocale locale;
        QString userText =
            m_userModel->filter().isEmpty()
                ? tr("%1 user mapping(s)").arg(locale.toString(users))
                : tr("%1 of %2 user mapping(s) match")
                      .arg(locale.toString(m_userModel->filteredCount()), locale.toString(users));
        if (m_userModel->checkedCount() > 0)
            userText += QStringLiteral(" · ") + tr("%n checked", nullptr, m_userModel->checkedCount());
        m_userCount->setText(userText);
    }
    const bool empty = domains == 0 && users == 0;
    m_emptyHint->setVisible(empty);
    if (empty) {
        m_emptyHint->setText(
            m_userModel
                ? tr("Start here: create a domain mapping (Domains ▸ Create Domain Mapping) or upload your "
                     "user list (Users ▸ Upload CSV; Users ▸ Download sample CSV shows the format). Then "
                     "click Push to make the rules active.")
                : tr("Start here: create a domain mapping (Domains ▸ Create Domain Mapping) for a domain "
                     "that moves between tenants, then click Push to make it active."));
    }
}

bool AreaConfigPage::userExists(const QString &source) const
{
    const Result<MailAddress> address = parseMailbox(source);
    if (!address)
        return false;
    const QString key = address->key();
    // The store filters on "contains"; compare the few candidates exactly.
    const QList<UserMapping> candidates = m_store->userMappings(m_area, 0, 200, source);
    for (const UserMapping &m : candidates) {
        const Result<MailAddress> a = parseMailbox(m.source);
        if (a && a->key() == key)
            return true;
    }
    return false;
}

void AreaConfigPage::createDomain()
{
    auto *dialog = new MappingDialog(
        MappingDialog::Kind::Domain, m_area,
        [this](const QString &source) { return m_domainModel->containsSource(source); }, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setSubmit([this](const QString &source, const QString &target) {
        const Status st = m_store->addDomainMapping(m_area, source, target);
        if (!st)
            return st.error;
        if (m_undo)
            m_undo->domainAdded(m_area, {source, target});
        reload();
        m_banner->showMessage(tr("Domain mapping %1 → %2 created. Push to apply it to the relay.")
                                  .arg(displayDomain(source), displayDomain(target)),
                              InfoBanner::Kind::Success);
        emit changed();
        return QString();
    });
    dialog->open();
}

void AreaConfigPage::createUser()
{
    if (!m_userModel)
        return;
    auto *dialog = new MappingDialog(
        MappingDialog::Kind::User, m_area, [this](const QString &source) { return userExists(source); },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setSubmit([this](const QString &source, const QString &target) {
        const Status st = m_store->addUserMapping(m_area, source, target);
        if (!st)
            return st.error;
        if (m_undo)
            m_undo->userAdded(m_area, {source, target});
        reload();
        m_banner->showMessage(
            tr("User mapping %1 → %2 created. Push to apply it to the relay.").arg(source, target),
            InfoBanner::Kind::Success);
        emit changed();
        return QString();
    });
    dialog->open();
}

void AreaConfigPage::confirmDelete(const QString &question, const QString &objectName,
                                   std::function<void()> onYes)
{
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete"), question,
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(objectName);
    box->setInformativeText(tr("The relay keeps the current rules until you push."));
    box->button(QMessageBox::Yes)->setText(tr("Delete"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [box, onYes = std::move(onYes)](int) {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            onYes();
    });
    box->open();
}

void AreaConfigPage::deleteDomains()
{
    QStringList sources = m_domainModel->checkedSources();
    if (sources.isEmpty()) {
        QModelIndexList rows = m_domainView->selectionModel()->selectedRows();
        if (rows.isEmpty() && m_domainView->hasFocus() && m_domainView->currentIndex().isValid())
            rows << m_domainView->currentIndex(); // the keyboard's row
        for (const QModelIndex &proxyIndex : rows) {
            const QModelIndex index = m_domainProxy->mapToSource(proxyIndex);
            sources << m_domainModel->mappings().at(index.row()).source;
        }
    }
    if (sources.isEmpty()) {
        m_banner->showMessage(
            tr("Check the domain mappings to delete first (the box in front of each row), or "
               "select rows."),
            InfoBanner::Kind::Info);
        return;
    }
    const QString question =
        sources.size() == 1 ? tr("Delete the domain mapping of %1?").arg(displayDomain(sources.constFirst()))
                            : tr("Delete %n domain mapping(s)?", nullptr, static_cast<int>(sources.size()));
    confirmDelete(question, QStringLiteral("confirmDeleteDomains"), [this, sources] {
        QList<DomainMapping> gone; // with their targets, for undo
        for (const DomainMapping &m : m_domainModel->mappings()) {
            if (sources.contains(m.source))
                gone << m;
        }
        const Result<qint64> removed = m_store->removeDomainMappings(m_area, sources);
        if (!removed) {
            m_banner->showMessage(removed.error, InfoBanner::Kind::Error);
            reload();
            return;
        }
        if (m_undo)
            m_undo->domainsRemoved(m_area, gone);
        reload();
        m_banner->showMessage(
            tr("%n domain mapping(s) deleted. Push to apply.", nullptr, static_cast<int>(*removed)),
            InfoBanner::Kind::Success);
        emit changed();
    });
}

void AreaConfigPage::deleteUsers()
{
    if (!m_userModel)
        return;
    QStringList sources = m_userModel->checkedSources();
    QList<UserMapping> known; // selected rows, with their targets (for undo)
    if (sources.isEmpty()) {
        QModelIndexList rows = m_userView->selectionModel()->selectedRows();
        if (rows.isEmpty() && m_userView->hasFocus() && m_userView->currentIndex().isValid())
            rows << m_userView->currentIndex(); // the keyboard's row
        for (const QModelIndex &index : rows) {
            if (const auto m = m_userModel->mappingAt(index.row())) {
                sources << m->source;
                known << *m;
            }
        }
    }
    if (sources.isEmpty()) {
        m_banner->showMessage(tr("Check the user mappings to delete first (the box in front of each row), or "
                                 "select rows."),
                              InfoBanner::Kind::Info);
        return;
    }
    const QString question = sources.size() == 1
                                 ? tr("Delete the user mapping of %1?").arg(sources.constFirst())
                                 : tr("Delete %1 user mappings?").arg(QLocale().toString(sources.size()));
    confirmDelete(question, QStringLiteral("confirmDeleteUsers"), [this, sources, known] {
        // For undo: the deleted rows when all are known and few, else the whole list.
        const bool rowsKnown = known.size() == sources.size() && known.size() <= DraftUndo::kMaxRowsReAdded;
        const QByteArray before = m_undo && !rowsKnown ? m_undo->snapshotUsers(m_area) : QByteArray();
        const Result<qint64> removed = m_store->removeUserMappings(m_area, sources);
        if (!removed) {
            m_banner->showMessage(removed.error, InfoBanner::Kind::Error);
            reload();
            return;
        }
        if (m_undo && rowsKnown)
            m_undo->usersRemoved(m_area, known);
        else if (m_undo)
            m_undo->usersRemoved(m_area, sources, before);
        m_userModel->clearChecks();
        m_userView->clearSelection();
        reload();
        m_banner->showMessage(
            tr("%n user mapping(s) deleted. Push to apply.", nullptr, static_cast<int>(*removed)),
            InfoBanner::Kind::Success);
        emit changed();
    });
}

void AreaConfigPage::uploadCsv()
{
    FileDialogs::openCsv(this, QStringLiteral("openCsvDialog"),
                         tr("Upload CSV — replaces the %1 user list").arg(areaTitle(m_area)),
                         [this](const QString &path) { startImport(path); });
}

CsvImportDialog *AreaConfigPage::startImport(const QString &fileName)
{
    if (!m_userModel)
        return nullptr;
    if (m_undo)
        m_undo->beginImport(m_area); // reads the list before the import's own work
    auto *dialog = new CsvImportDialog(m_background, m_area, fileName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CsvImportDialog::imported, this, [this](const ImportPlan &plan) {
        if (m_undo)
            m_undo->importDone(m_area);
        reload();
        const QLocale locale;
        m_banner->showMessage(
            tr("User list replaced: %1 new, %2 changed, %3 removed. Push to apply it to the relay.")
                .arg(locale.toString(plan.added), locale.toString(plan.changed),
                     locale.toString(plan.removed)),
            InfoBanner::Kind::Success);
        emit changed();
    });
    dialog->open();
    dialog->start();
    return dialog;
}

void AreaConfigPage::downloadSample()
{
    FileDialogs::saveCsv(this, QStringLiteral("sampleCsvDialog"), tr("Save sample CSV"),
                         QStringLiteral("mailroute-sample.csv"), [this](const QString &path) {
                             const QString error = UserListExport::writeSample(path);
                             if (error.isEmpty())
                                 m_banner->showMessage(
                                     tr("Sample saved to %1. Fill in one line per user and upload "
                                        "it with Users ▸ Upload CSV.")
                                         .arg(path),
                                     InfoBanner::Kind::Success);
                             else
                                 m_banner->showMessage(error, InfoBanner::Kind::Error);
                         });
}

void AreaConfigPage::exportUsers()
{
    FileDialogs::saveCsv(
        this, QStringLiteral("exportCsvDialog"), tr("Export the %1 user list").arg(areaTitle(m_area)),
        UserListExport::suggestedFileName(m_area), [this](const QString &path) {
            m_banner->showMessage(tr("Exporting to %1…").arg(path), InfoBanner::Kind::Info);
            UserListExport::exportUsers(
                m_background, this, m_area, path, [this, path](const QString &error, qint64 rows) {
                    if (error.isEmpty())
                        m_banner->showMessage(
                            tr("%1 user mapping(s) exported to %2.").arg(QLocale().toString(rows), path),
                            InfoBanner::Kind::Success);
                    else
                        m_banner->showMessage(error, InfoBanner::Kind::Error);
                });
        });
}

bool AreaConfigPage::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::FocusIn) {
        if (watched == m_userView || (m_userFilter && watched == m_userFilter))
            m_lastTable = m_userView;
        else if (watched == m_domainView || watched == m_domainFilter)
            m_lastTable = m_domainView;
    }
    // A .csv dropped on the user table starts the same upload flow.
    if (m_userView && watched == m_userView->viewport()) {
        switch (event->type()) {
        case QEvent::DragEnter:
        case QEvent::DragMove: {
            auto *drag = static_cast<QDragMoveEvent *>(event);
            if (!csvPath(drag->mimeData()).isEmpty()) {
                drag->acceptProposedAction();
                return true;
            }
            break;
        }
        case QEvent::Drop: {
            auto *drop = static_cast<QDropEvent *>(event);
            const QString path = csvPath(drop->mimeData());
            if (!path.isEmpty()) {
                drop->acceptProposedAction();
                // After the drop returns: the drag source must not wait on our dialog.
                QTimer::singleShot(0, this, [this, path] { startImport(path); });
                return true;
            }
            break;
        }
        default: break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace mailroute
