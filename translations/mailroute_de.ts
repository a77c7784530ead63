<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>ConsoleLanguage</name>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Sprache</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Sprache</translation>
        </message>
        <message>
            <source>MailRoute uses the new language when it starts again.</source>
            <translation>MailRoute verwendet die neue Sprache beim nächsten Start.</translation>
        </message>
        <message>
            <source>&amp;System Language</source>
            <translation>&amp;Systemsprache</translation>
        </message>
    </context>
    <context>
        <name>InEffect</name>
        <message>
            <source>empty</source>
            <translation>leer</translation>
        </message>
        <message>
            <source>nothing has been pushed</source>
            <translation>nichts wurde veröffentlicht</translation>
        </message>
        <message>
            <source>Push configuration</source>
            <translation>Konfiguration veröffentlichen</translation>
        </message>
        <message>
            <source>The Settings page has changes that are not saved.</source>
            <translation>Die Seite Einstellungen enthält nicht gespeicherte Änderungen.</translation>
        </message>
        <message>
            <source>A push sends what is saved in the draft, so these would not reach the relay:</source>
            <translation>Eine Veröffentlichung sendet, was im Entwurf gespeichert ist; diese Änderungen würden das Relay also nicht erreichen:</translation>
        </message>
        <message>
            <source>Save them and push, or cancel and look at them first.</source>
            <translation>Speichern und veröffentlichen Sie sie, oder brechen Sie ab und sehen Sie sie sich zuerst an.</translation>
        </message>
        <message>
            <source>Save and Push</source>
            <translation>Speichern und veröffentlichen</translation>
        </message>
        <message>
            <source>%1: %2 in generation %3, %4 saved but not pushed</source>
            <translation>%1: %2 in Generation %3, %4 gespeichert, aber nicht veröffentlicht</translation>
        </message>
        <message>
            <source>%1: changed on the Settings page, not saved</source>
            <translation>%1: auf der Seite Einstellungen geändert, nicht gespeichert</translation>
        </message>
        <message>
            <source>Activate</source>
            <translation>Aktivieren</translation>
        </message>
        <message>
            <source>The relay would start with the settings of generation %1, not with those on the Settings page.</source>
            <translation>Das Relay würde mit den Einstellungen der Generation %1 starten, nicht mit denen auf der Seite Einstellungen.</translation>
        </message>
        <message>
            <source>Push first, and the relay starts with what the page shows.</source>
            <translation>Veröffentlichen Sie zuerst, dann startet das Relay mit dem, was die Seite zeigt.</translation>
        </message>
        <message>
            <source>Push, Then Activate</source>
            <translation>Veröffentlichen, dann aktivieren</translation>
        </message>
        <message>
            <source>Activate Generation %1</source>
            <translation>Generation %1 aktivieren</translation>
        </message>
        <message>
            <source>Unsaved settings</source>
            <translation>Nicht gespeicherte Einstellungen</translation>
        </message>
        <message>
            <source>Save the changed settings?</source>
            <translation>Geänderte Einstellungen speichern?</translation>
        </message>
        <message>
            <source>Saved settings go to the draft and reach the relay with the next push; Discard brings back the saved values.</source>
            <translation>Gespeicherte Einstellungen kommen in den Entwurf und erreichen das Relay mit der nächsten Veröffentlichung; Verwerfen stellt die gespeicherten Werte wieder her.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message numerus="yes">
            <source>• %n domain(s) on hold: %1. Their mail stays in the queue, neither attempted nor bounced, until you release them (Queue page).</source>
            <translation>
                <numerusform>• %n Domäne zurückgehalten: %1. Ihre Mail bleibt in der Warteschlange, ohne Zustellversuch und ohne Unzustellbarkeitsmeldung, bis Sie sie freigeben (Seite Warteschlange).</numerusform>
                <numerusform>• %n Domänen zurückgehalten: %1. Ihre Mail bleibt in der Warteschlange, ohne Zustellversuch und ohne Unzustellbarkeitsmeldung, bis Sie sie freigeben (Seite Warteschlange).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MessageLogRow</name>
        <message>
            <source>queued, %1 from %2</source>
            <translation>eingereiht, %1 von %2</translation>
        </message>
        <message>
            <source>%1 (attempt %2; next %3)</source>
            <translation>%1 (Versuch %2; nächster %3)</translation>
        </message>
        <message>
            <source>%1 (DSN %2)</source>
            <translation>%1 (DSN %2)</translation>
        </message>
        <message>
            <source>%1 kept: %2</source>
            <translation>%1 beibehalten: %2</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>user rule</source>
            <translation>Benutzerregel</translation>
        </message>
        <message>
            <source>domain rule</source>
            <translation>Domain-Regel</translation>
        </message>
        <message>
            <source>%1 (client %2)</source>
            <translation>%1 (Client %2)</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>CSV-Dateien (*.csv)</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>Alle Dateien (*)</translation>
        </message>
    </context>
    <context>
        <name>SelfSignedCertificate</name>
        <message>
            <source>Host name: %1</source>
            <translation>Hostname: %1</translation>
        </message>
        <message>
            <source>Cannot create the folder %1.</source>
            <translation>Der Ordner %1 kann nicht erstellt werden.</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <source>The openssl command could not be run (%1). Install OpenSSL (Debian: apt install openssl); MailRoute uses it because Qt cannot create certificates.</source>
            <translation>Der Befehl openssl konnte nicht ausgeführt werden (%1). Installieren Sie OpenSSL (Debian: apt install openssl); MailRoute verwendet es, weil Qt keine Zertifikate erstellen kann.</translation>
        </message>
        <message>
            <source>openssl could not create the certificate: %1</source>
            <translation>openssl konnte das Zertifikat nicht erstellen: %1</translation>
        </message>
        <message>
            <source>Cannot write the certificate into %1.</source>
            <translation>Das Zertifikat kann nicht in %1 geschrieben werden.</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <source>Listen address and port</source>
            <translation>Lauschadresse und Port</translation>
        </message>
        <message>
            <source>Relay host name</source>
            <translation>Hostname des Relays</translation>
        </message>
        <message>
            <source>Postmaster (your address)</source>
            <translation>Postmaster (Ihre Adresse)</translation>
        </message>
        <message>
            <source>Most Received: fields (loops)</source>
            <translation>Höchstzahl der Received:-Felder (Schleifen)</translation>
        </message>
        <message>
            <source>Allowed client networks</source>
            <translation>Zugelassene Client-Netzwerke</translation>
        </message>
        <message>
            <source>Smart host</source>
            <translation>Smarthost</translation>
        </message>
        <message>
            <source>Connections per next hop</source>
            <translation>Verbindungen pro nächstem Hop</translation>
        </message>
        <message>
            <source>Retry schedule</source>
            <translation>Wiederholungszeitplan</translation>
        </message>
        <message>
            <source>Largest message</source>
            <translation>Maximale Nachrichtengröße</translation>
        </message>
        <message>
            <source>Recipients per message</source>
            <translation>Empfänger pro Nachricht</translation>
        </message>
        <message>
            <source>Longest command line</source>
            <translation>Längste Befehlszeile</translation>
        </message>
        <message>
            <source>Longest text line</source>
            <translation>Längste Textzeile</translation>
        </message>
        <message>
            <source>Concurrent sessions</source>
            <translation>Gleichzeitige Sitzungen</translation>
        </message>
        <message>
            <source>Sessions per client address</source>
            <translation>Sitzungen pro Client-Adresse</translation>
        </message>
        <message>
            <source>Command time-out</source>
            <translation>Zeitlimit für Befehle</translation>
        </message>
        <message>
            <source>Message text time-out</source>
            <translation>Zeitlimit für den Nachrichtentext</translation>
        </message>
        <message>
            <source>Protocol errors per session</source>
            <translation>Protokollfehler pro Sitzung</translation>
        </message>
        <message>
            <source>TLS certificate (PEM file)</source>
            <translation>TLS-Zertifikat (PEM-Datei)</translation>
        </message>
        <message>
            <source>TLS private key (PEM file)</source>
            <translation>Privater TLS-Schlüssel (PEM-Datei)</translation>
        </message>
        <message>
            <source>Smart host user name</source>
            <translation>Benutzername für den Smarthost</translation>
        </message>
        <message>
            <source>empty: MX look-up in DNS</source>
            <translation>leer: MX-Abfrage im DNS</translation>
        </message>
        <message>
            <source>empty: this machine's name</source>
            <translation>leer: Name dieses Rechners</translation>
        </message>
        <message>
            <source>empty: not configured</source>
            <translation>leer: nicht konfiguriert</translation>
        </message>
        <message numerus="yes">
            <source>%n hour(s)</source>
            <translation>
                <numerusform>%n Stunde</numerusform>
                <numerusform>%n Stunden</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n minute(s)</source>
            <translation>
                <numerusform>%n Minute</numerusform>
                <numerusform>%n Minuten</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n second(s)</source>
            <translation>
                <numerusform>%n Sekunde</numerusform>
                <numerusform>%n Sekunden</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n retry(s) after the first attempt: %1</source>
            <translation>
                <numerusform>%n Wiederholung nach dem ersten Versuch: %1</numerusform>
                <numerusform>%n Wiederholungen nach dem ersten Versuch: %1</numerusform>
            </translation>
        </message>
        <message>
            <source>Mail goes to each domain's MX hosts.</source>
            <translation>E-Mails gehen an die MX-Hosts der jeweiligen Domäne.</translation>
        </message>
        <message>
            <source>Require STARTTLS before MAIL</source>
            <translation>STARTTLS vor MAIL verlangen</translation>
        </message>
        <message>
            <source>Public address (for SPF)</source>
            <translation>Öffentliche Adresse (für SPF)</translation>
        </message>
        <message>
            <source>TLS to MX hosts</source>
            <translation>TLS zu MX-Hosts</translation>
        </message>
        <message>
            <source>TLS to the smart host</source>
            <translation>TLS zum Smarthost</translation>
        </message>
        <message>
            <source>Extra CA certificates (PEM file)</source>
            <translation>Zusätzliche CA-Zertifikate (PEM-Datei)</translation>
        </message>
        <message>
            <source>Rewrite To and Cc</source>
            <translation>To und Cc umschreiben</translation>
        </message>
        <message>
            <source>Rewrite From, Sender and Reply-To</source>
            <translation>From, Sender und Reply-To umschreiben</translation>
        </message>
        <message>
            <source>unsigned: To and Cc are rewritten only when no valid DKIM signature of the sender covers them, so signed mail stays valid; the envelope is always rewritten.</source>
            <translation>unsigned: To und Cc werden nur umgeschrieben, wenn keine gültige DKIM-Signatur des Absenders sie abdeckt, signierte Mail bleibt also gültig; der Umschlag wird immer umgeschrieben.</translation>
        </message>
        <message>
            <source>always: To and Cc are always rewritten; a sender's DKIM signature that covers them breaks, and the message can fail DMARC at the target tenant.</source>
            <translation>always: To und Cc werden immer umgeschrieben; eine DKIM-Signatur des Absenders, die sie abdeckt, wird ungültig, und die Nachricht kann beim Ziel-Tenant an DMARC scheitern.</translation>
        </message>
        <message>
            <source>never: To and Cc keep the addresses the sender wrote, so signatures stay valid; only the envelope recipients are rewritten.</source>
            <translation>never: To und Cc behalten die Adressen, die der Absender geschrieben hat, Signaturen bleiben also gültig; nur die Empfänger im Umschlag werden umgeschrieben.</translation>
        </message>
        <message>
            <source>yes: From, Sender and Reply-To of the outbound clients' mail are rewritten with the envelope sender; a DKIM signature the client's own server added over them breaks, so sign after the relay.</source>
            <translation>yes: From, Sender und Reply-To der Mail ausgehender Clients werden mit dem Umschlag-Absender umgeschrieben; eine DKIM-Signatur, die der Server des Clients darüber gelegt hat, wird ungültig, signieren Sie also nach dem Relay.</translation>
        </message>
        <message>
            <source>no: only the envelope sender is rewritten; the headers and any signature over them stay as they were.</source>
            <translation>no: nur der Umschlag-Absender wird umgeschrieben; die Kopfzeilen und jede Signatur darüber bleiben, wie sie waren.</translation>
        </message>
        <message>
            <source>Shortest time between retries</source>
            <translation>Kürzester Abstand zwischen Versuchen</translation>
        </message>
        <message>
            <source>Tell the sender after (0: never)</source>
            <translation>Absender benachrichtigen nach (0: nie)</translation>
        </message>
        <message>
            <source>Warn me of a hold after</source>
            <translation>Mich warnen, wenn zurückgehalten seit</translation>
        </message>
        <message>
            <source>Keep logs for (days, 0: always)</source>
            <translation>Protokolle aufbewahren (Tage, 0: immer)</translation>
        </message>
        <message>
            <source>Confirmation emails</source>
            <translation>Bestätigungs-E-Mails</translation>
        </message>
        <message>
            <source>Wait for deliveries when stopping</source>
            <translation>Beim Anhalten auf Zustellungen warten</translation>
        </message>
        <message>
            <source>Allowed sender domains</source>
            <translation>Erlaubte Absenderdomänen</translation>
        </message>
        <message>
            <source>empty: the domains the Outbound rules name</source>
            <translation>leer: die Domänen, die die Outbound-Regeln nennen</translation>
        </message>
        <message>
            <source>Refuse mail failing DMARC p=reject</source>
            <translation>Mail mit DMARC-Fehler bei p=reject abweisen</translation>
        </message>
        <message>
            <source>ARC sealing domain</source>
            <translation>ARC-Versiegelungsdomain</translation>
        </message>
        <message>
            <source>ARC-seal which messages</source>
            <translation>Welche Nachrichten ARC-versiegeln</translation>
        </message>
        <message>
            <source>Verify recipients at the target</source>
            <translation>Empfänger beim Ziel prüfen</translation>
        </message>
        <message>
            <source>Domains never verified</source>
            <translation>Nie geprüfte Domains</translation>
        </message>
        <message>
            <source>Remember accepted recipients for</source>
            <translation>Angenommene Empfänger merken für</translation>
        </message>
        <message>
            <source>Remember refused recipients for</source>
            <translation>Abgewiesene Empfänger merken für</translation>
        </message>
        <message>
            <source>Verification probes per next hop</source>
            <translation>Prüfanfragen je Next Hop</translation>
        </message>
        <message>
            <source>Wave check probes per minute</source>
            <translation>Prüfanfragen je Minute bei Wellen</translation>
        </message>
        <message>
            <source>Sender of verification probes</source>
            <translation>Absender der Prüfanfragen</translation>
        </message>
        <message>
            <source>Commands without mail per session</source>
            <translation>Befehle ohne Nachricht pro Sitzung</translation>
        </message>
    </context>
    <context>
        <name>SettingsSchema</name>
        <message>
            <source>Address and port the relay listens on for SMTP.</source>
            <translation>Adresse und Port, auf denen das Relay auf SMTP lauscht.</translation>
        </message>
        <message>
            <source>The relay's public IP address(es) as other mail servers see it, for the SPF readiness check; empty means the addresses of relay.hostname.</source>
            <translation>Öffentliche IP-Adresse(n) des Relays, wie andere Mailserver sie sehen, für die SPF-Prüfung; leer bedeutet die Adressen von relay.hostname.</translation>
        </message>
        <message>
            <source>The administrator's address: mail to postmaster and push confirmations go there.</source>
            <translation>Adresse des Administrators: E-Mails an postmaster und Veröffentlichungsbestätigungen gehen dorthin.</translation>
        </message>
        <message>
            <source>A message with more Received: fields than this is refused as a mail loop (554 5.4.6).</source>
            <translation>Eine Nachricht mit mehr Received:-Feldern als diesem Wert wird als E-Mail-Schleife abgewiesen (554 5.4.6).</translation>
        </message>
        <message>
            <source>Networks whose clients may relay to any recipient, their senders rewritten by the Outbound area.</source>
            <translation>Netzwerke, deren Clients an jeden Empfänger weiterleiten dürfen; ihre Absender werden vom Bereich Outbound umgeschrieben.</translation>
        </message>
        <message>
            <source>Next hop for all mail without a per-domain route; empty means MX look-up in DNS.</source>
            <translation>Nächster Hop für alle E-Mails ohne Route pro Domäne; leer bedeutet MX-Abfrage im DNS.</translation>
        </message>
        <message>
            <source>Maximum simultaneous connections to one next hop.</source>
            <translation>Höchstzahl gleichzeitiger Verbindungen zu einem nächsten Hop.</translation>
        </message>
        <message>
            <source>Delays after the first attempt at which a temporarily failed delivery is retried before it bounces.</source>
            <translation>Abstände nach dem ersten Versuch, in denen eine vorübergehend fehlgeschlagene Zustellung wiederholt wird, bevor sie als unzustellbar zurückgeht.</translation>
        </message>
        <message>
            <source>Largest message accepted, in bytes (35M and 35MiB are accepted as input).</source>
            <translation>Größte angenommene Nachricht, in Byte (35M und 35MiB werden als Eingabe akzeptiert).</translation>
        </message>
        <message>
            <source>Most recipients accepted in one message.</source>
            <translation>Höchstzahl der Empfänger, die in einer Nachricht angenommen werden.</translation>
        </message>
        <message>
            <source>Longest SMTP command line accepted, in octets.</source>
            <translation>Längste angenommene SMTP-Befehlszeile, in Oktetten.</translation>
        </message>
        <message>
            <source>Longest line of message text accepted, in octets.</source>
            <translation>Längste angenommene Zeile des Nachrichtentexts, in Oktetten.</translation>
        </message>
        <message>
            <source>Most concurrent SMTP sessions.</source>
            <translation>Höchstzahl gleichzeitiger SMTP-Sitzungen.</translation>
        </message>
        <message>
            <source>Most concurrent SMTP sessions from one client address.</source>
            <translation>Höchstzahl gleichzeitiger SMTP-Sitzungen von einer Client-Adresse.</translation>
        </message>
        <message>
            <source>Seconds the relay waits for an SMTP command.</source>
            <translation>Sekunden, die das Relay auf einen SMTP-Befehl wartet.</translation>
        </message>
        <message>
            <source>Seconds the relay waits for the message text after DATA.</source>
            <translation>Sekunden, die das Relay nach DATA auf den Nachrichtentext wartet.</translation>
        </message>
        <message>
            <source>Protocol errors tolerated before a session is closed.</source>
            <translation>Tolerierte Protokollfehler, bevor eine Sitzung geschlossen wird.</translation>
        </message>
        <message>
            <source>PEM certificate chain offered with STARTTLS; empty means STARTTLS is not offered.</source>
            <translation>Mit STARTTLS angebotene PEM-Zertifikatkette; leer bedeutet, dass STARTTLS nicht angeboten wird.</translation>
        </message>
        <message>
            <source>PEM private key of the certificate; a passphrase lives in the keychain.</source>
            <translation>Privater PEM-Schlüssel des Zertifikats; eine Passphrase liegt im Schlüsselbund.</translation>
        </message>
        <message>
            <source>Clients that must use STARTTLS before MAIL (else 530 5.7.0): no, allowed_clients (the outbound.allowed_clients networks) or all; needs tls.certificate and tls.key.</source>
            <translation>Clients, die vor MAIL STARTTLS verwenden müssen (sonst 530 5.7.0): no, allowed_clients (die Netzwerke aus outbound.allowed_clients) oder all; erfordert tls.certificate und tls.key.</translation>
        </message>
        <message>
            <source>User name for SMTP AUTH at the smart host; the password lives in the operating system's keychain.</source>
            <translation>Benutzername für SMTP AUTH beim Smarthost; das Passwort liegt im Schlüsselbund des Betriebssystems.</translation>
        </message>
        <message>
            <source>TLS towards MX hosts and routes without a policy of their own: may (STARTTLS when offered), encrypt (TLS required) or verify (TLS required, certificate and host name checked).</source>
            <translation>TLS zu MX-Hosts und Routen ohne eigene Richtlinie: may (STARTTLS, wenn angeboten), encrypt (TLS erforderlich) oder verify (TLS erforderlich, Zertifikat und Hostname werden geprüft).</translation>
        </message>
        <message>
            <source>TLS towards the smart host: may, encrypt or verify (SMTP AUTH is only ever sent inside TLS).</source>
            <translation>TLS zum Smarthost: may, encrypt oder verify (SMTP AUTH wird nur innerhalb von TLS gesendet).</translation>
        </message>
        <message>
            <source>PEM file of extra certificate authorities trusted under the verify policy, besides the system's.</source>
            <translation>PEM-Datei zusätzlicher Zertifizierungsstellen, denen unter der Richtlinie verify vertraut wird, neben denen des Systems.</translation>
        </message>
        <message>
            <source>Whether addresses in To:/Cc: are rewritten along with the envelope recipients: unsigned (only where no valid DKIM signature of the sender covers the field, so signed mail stays valid), always (breaks such signatures) or never.</source>
            <translation>Ob Adressen in To:/Cc: zusammen mit den Umschlag-Empfängern umgeschrieben werden: unsigned (nur wo keine gültige DKIM-Signatur des Absenders das Feld abdeckt, signierte Mail bleibt also gültig), always (macht solche Signaturen ungültig) oder never.</translation>
        </message>
        <message>
            <source>Whether addresses in From:/Sender:/Reply-To: of the Outbound area's clients are rewritten along with the envelope sender: yes or no.</source>
            <translation>Ob Adressen in From:/Sender:/Reply-To: der Clients des Bereichs Ausgehend zusammen mit dem Umschlag-Absender umgeschrieben werden: yes oder no.</translation>
        </message>
        <message>
            <source>Shortest time between two scheduled attempts for a recipient, also after a long stop of the relay.</source>
            <translation>Kürzester Abstand zwischen zwei geplanten Zustellversuchen für einen Empfänger, auch nach einem langen Stillstand des Relays.</translation>
        </message>
        <message>
            <source>After this long in the queue the sender gets one delay notice (a DSN that says delayed); 0 means never.</source>
            <translation>Nach dieser Zeit in der Warteschlange erhält der Absender eine einzige Verzögerungsmeldung (eine DSN mit „delayed“); 0 bedeutet nie.</translation>
        </message>
        <message>
            <source>After a domain has been on hold this long the administrator is warned (log and relay.postmaster).</source>
            <translation>Ist eine Domäne so lange zurückgehalten, wird der Administrator gewarnt (Protokoll und relay.postmaster).</translation>
        </message>
        <message>
            <source>Days the message log and the action log are kept; older entries are deleted daily, 0 keeps them forever.</source>
            <translation>Tage, die das Nachrichtenprotokoll und das Aktionsprotokoll aufbewahrt werden; ältere Einträge werden täglich gelöscht, 0 bewahrt sie für immer auf.</translation>
        </message>
        <message>
            <source>Fully qualified host name the relay uses in its greeting, Received: fields and bounces; empty means this machine's host name, with .localdomain appended when it has no domain.</source>
            <translation>Vollqualifizierter Hostname, den das Relay in seiner Begrüßung, in Received:-Feldern und Unzustellbarkeitsberichten verwendet; leer bedeutet den Hostnamen dieses Rechners, ergänzt um .localdomain, wenn er keine Domain hat.</translation>
        </message>
        <message>
            <source>Seconds a stopping relay waits for deliveries in progress to get their answer before it exits.</source>
            <translation>Sekunden, die ein anhaltendes Relay auf die Antwort laufender Zustellungen wartet, bevor es sich beendet.</translation>
        </message>
        <message>
            <source>Confirmation emails to relay.postmaster after each push and user list upload: auto (when relay.postmaster is set), on or off.</source>
            <translation>Bestätigungs-E-Mails an relay.postmaster nach jedem Push und jedem Hochladen einer Benutzerliste: auto (wenn relay.postmaster gesetzt ist), on oder off.</translation>
        </message>
        <message>
            <source>Envelope sender domains for which allowed clients may relay to any recipient (others get 550 5.7.1); empty means the domains the Outbound rules name.</source>
            <translation>Umschlag-Absenderdomänen, für die erlaubte Clients an beliebige Empfänger weiterleiten dürfen (andere erhalten 550 5.7.1); leer bedeutet die Domänen, die die Outbound-Regeln nennen.</translation>
        </message>
        <message>
            <source>Whether mail from clients outside outbound.allowed_clients that fails DMARC under its domain's p=reject is refused (550 5.7.1) at the end of DATA: no (the target tenant decides; the verdicts go to Authentication-Results and the log) or yes.</source>
            <translation>Ob Mail von Clients außerhalb von outbound.allowed_clients, die DMARC unter dem p=reject ihrer Domäne nicht besteht, am Ende von DATA abgewiesen wird (550 5.7.1): no (der Ziel-Tenant entscheidet; die Ergebnisse stehen in Authentication-Results und im Protokoll) oder yes.</translation>
        </message>
        <message>
            <source>Which messages get an ARC seal once arc.domain has an active key: modified (those whose headers the relay rewrote), always or off.</source>
            <translation>Welche Nachrichten ein ARC-Siegel erhalten, sobald arc.domain einen aktiven Schlüssel hat: modified (die, deren Kopfzeilen das Relay umgeschrieben hat), always (immer) oder off (nie).</translation>
        </message>
        <message>
            <source>Recipient domains that are never verified at their target (mailroutectl verify exclude DOMAIN).</source>
            <translation>Empfängerdomains, die nie beim Ziel geprüft werden (mailroutectl verify exclude DOMAIN).</translation>
        </message>
        <message>
            <source>How long a recipient the target accepted is remembered without asking again.</source>
            <translation>Wie lange ein vom Ziel angenommener Empfänger gemerkt wird, ohne erneut zu fragen.</translation>
        </message>
        <message>
            <source>How long a recipient the target refused is remembered without asking again.</source>
            <translation>Wie lange ein vom Ziel abgewiesener Empfänger gemerkt wird, ohne erneut zu fragen.</translation>
        </message>
        <message>
            <source>Most recipient verification probes to one next hop at the same time.</source>
            <translation>Höchstzahl gleichzeitiger Prüfanfragen an einen Next Hop.</translation>
        </message>
        <message>
            <source>Most recipient probes per minute when a migration wave is checked; 0 checks waves without probing their targets.</source>
            <translation>Höchstzahl der Empfänger-Prüfanfragen pro Minute, wenn eine Migrationswelle geprüft wird; 0 prüft Wellen, ohne ihre Ziele abzufragen.</translation>
        </message>
        <message>
            <source>Envelope sender of recipient verification probes; empty means the null sender &lt;&gt;.</source>
            <translation>Envelope-Absender der Prüfanfragen; leer bedeutet den leeren Absender &lt;&gt;.</translation>
        </message>
        <message>
            <source>Domain whose active DKIM key seals forwarded mail with ARC, so that the target tenant can trust the results the relay saw; empty means no ARC sealing.</source>
            <translation>Domain, deren aktiver DKIM-Schlüssel weitergeleitete Mails mit ARC versiegelt, damit der Zielmandant den vom Relay gesehenen Ergebnissen vertrauen kann; leer bedeutet keine ARC-Versiegelung.</translation>
        </message>
        <message>
            <source>Whether the relay asks the target server if it would take an Inbound or Relay recipient before accepting it at RCPT: inbound (Inbound and Relay recipients) or off.</source>
            <translation>Ob das Relay den Zielserver fragt, ob er einen Inbound- oder Relay-Empfänger annehmen würde, bevor es ihn beim RCPT annimmt: inbound (Inbound- und Relay-Empfänger) oder off.</translation>
        </message>
        <message>
            <source>NOOP, RSET, VRFY and unknown commands a session may send without delivering a message; the next one closes it (421 4.7.0).</source>
            <translation>NOOP-, RSET-, VRFY- und unbekannte Befehle, die eine Sitzung senden darf, ohne eine Nachricht einzuliefern; der nächste schließt sie (421 4.7.0).</translation>
        </message>
    </context>
    <context>
        <name>UserListExport</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
    </context>
    <context>
        <name>mailroute::AboutDialog</name>
        <message>
            <source>%1 (built with %2)</source>
            <translation>%1 (erstellt mit %2)</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>unbekannt</translation>
        </message>
        <message>
            <source>About MailRoute</source>
            <translation>Über MailRoute</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>Version %1</translation>
        </message>
        <message>
            <source>Mail routing console with a bundled SMTP relay for mailbox migrations.</source>
            <translation>Konsole für das E-Mail-Routing mit integriertem SMTP-Relay für Postfachmigrationen.</translation>
        </message>
        <message>
            <source>MailRoute uses these libraries:</source>
            <translation>MailRoute verwendet diese Bibliotheken:</translation>
        </message>
        <message>
            <source>Library</source>
            <translation>Bibliothek</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>Licence</source>
            <translation>Lizenz</translation>
        </message>
        <message>
            <source>&amp;Copy to Clipboard</source>
            <translation>In die Zwischenablage &amp;kopieren</translation>
        </message>
        <message>
            <source>Copy the version and library details, for a bug report</source>
            <translation>Version und Bibliotheksangaben kopieren, für einen Fehlerbericht</translation>
        </message>
        <message>
            <source>Public domain</source>
            <translation>Gemeinfrei</translation>
        </message>
        <message>
            <source>(commit %1, built %2)</source>
            <translation>(Commit %1, erstellt am %2)</translation>
        </message>
        <message>
            <source>(built %1)</source>
            <translation>(erstellt am %1)</translation>
        </message>
        <message>
            <source>MailRoute has not been published under a licence yet: all rights reserved by its authors.</source>
            <translation>MailRoute wurde noch unter keiner Lizenz veröffentlicht: alle Rechte bei den Autoren.</translation>
        </message>
        <message>
            <source>MailRoute is licensed under %1.</source>
            <translation>MailRoute steht unter der Lizenz %1.</translation>
        </message>
        <message>
            <source>They are used as shared libraries, as installed with MailRoute or by the operating system, which also provides their source code and licence texts.</source>
            <translation>Sie werden als gemeinsam genutzte Bibliotheken verwendet, wie sie mit MailRoute oder vom Betriebssystem installiert wurden, das auch ihren Quellcode und ihre Lizenztexte bereitstellt.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ActionLogModel</name>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Nachricht</translation>
        </message>
    </context>
    <context>
        <name>mailroute::AddressTesterPage</name>
        <message>
            <source>%1 (%2), which is not valid: %3</source>
            <translation>%1 (%2), ungültig: %3</translation>
        </message>
        <message>
            <source>%1 port %2 (%3)</source>
            <translation>%1 Port %2 (%3)</translation>
        </message>
        <message>
            <source>host %1 port %2, no MX look-up (%3)</source>
            <translation>Host %1 Port %2, ohne MX-Abfrage (%3)</translation>
        </message>
        <message>
            <source>MX of %1, port %2 (%3)</source>
            <translation>MX von %1, Port %2 (%3)</translation>
        </message>
        <message>
            <source>No rule matches: the address stays as it is.</source>
            <translation>Keine Regel trifft zu: Die Adresse bleibt unverändert.</translation>
        </message>
        <message>
            <source>%1 %2 mapping %3 → %4</source>
            <translation>%1 %2-Zuordnung %3 → %4</translation>
        </message>
        <message>
            <source>user</source>
            <translation>Benutzer</translation>
        </message>
        <message>
            <source>domain</source>
            <translation>Domänen</translation>
        </message>
        <message>
            <source>Recipient (for the next hop):</source>
            <translation>Empfänger (für den nächsten Hop):</translation>
        </message>
        <message>
            <source>Address tester</source>
            <translation>Adresstester</translation>
        </message>
        <message>
            <source>Where does this address go? Type an address to see the rule that fires, the address the relay makes of it, and the next hop it would deliver to.</source>
            <translation>Wohin geht diese Adresse? Geben Sie eine Adresse ein, um die zutreffende Regel zu sehen, die Adresse, die das Relay daraus macht, und den nächsten Hop, an den es zustellen würde.</translation>
        </message>
        <message>
            <source>Test</source>
            <translation>Test</translation>
        </message>
        <message>
            <source>bob@warmsushi.com</source>
            <translation>bob@warmsushi.com</translation>
        </message>
        <message>
            <source>Incoming: mail sent to this address</source>
            <translation>Eingehend: E-Mails an diese Adresse</translation>
        </message>
        <message>
            <source>Outgoing: mail sent by this address (from an allowed client)</source>
            <translation>Ausgehend: E-Mails von dieser Adresse (von einem zugelassenen Client)</translation>
        </message>
        <message>
            <source>Draft (what the next push makes active)</source>
            <translation>Entwurf (was die nächste Veröffentlichung aktiviert)</translation>
        </message>
        <message>
            <source>Active generation (what the relay does now)</source>
            <translation>Aktive Generation (was das Relay jetzt tut)</translation>
        </message>
        <message>
            <source>someone@partner.example</source>
            <translation>jemand@partner.example</translation>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation>&amp;Adresse:</translation>
        </message>
        <message>
            <source>&amp;Direction:</source>
            <translation>&amp;Richtung:</translation>
        </message>
        <message>
            <source>&amp;Configuration:</source>
            <translation>&amp;Konfiguration:</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>Ergebnis</translation>
        </message>
        <message>
            <source>Verdict:</source>
            <translation>Urteil:</translation>
        </message>
        <message>
            <source>Rule:</source>
            <translation>Regel:</translation>
        </message>
        <message>
            <source>Rewritten to:</source>
            <translation>Umgeschrieben zu:</translation>
        </message>
        <message>
            <source>Next hop:</source>
            <translation>Nächster Hop:</translation>
        </message>
        <message>
            <source>Compiling the rules…</source>
            <translation>Regeln werden kompiliert…</translation>
        </message>
        <message>
            <source>Nothing has been pushed yet: there is no active generation.</source>
            <translation>Noch nichts veröffentlicht: Es gibt keine aktive Generation.</translation>
        </message>
        <message>
            <source>Testing generation %1.</source>
            <translation>Generation %1 wird getestet.</translation>
        </message>
        <message>
            <source>Testing the draft.</source>
            <translation>Der Entwurf wird getestet.</translation>
        </message>
        <message>
            <source>route for %1</source>
            <translation>Route für %1</translation>
        </message>
        <message>
            <source>smart host</source>
            <translation>Smarthost</translation>
        </message>
        <message>
            <source>MX of %1 (DNS look-up)</source>
            <translation>MX von %1 (DNS-Abfrage)</translation>
        </message>
        <message>
            <source>Type an address above.</source>
            <translation>Geben Sie oben eine Adresse ein.</translation>
        </message>
        <message>
            <source>Not a valid address: %1</source>
            <translation>Keine gültige Adresse: %1</translation>
        </message>
        <message>
            <source>Refused with 550 5.7.1: no Inbound or Relay rule matches, and the relay is not an open relay. (A client in the outbound allow-list may still send to it, unchanged.)</source>
            <translation>Abgewiesen mit 550 5.7.1: Keine Inbound- oder Relay-Regel trifft zu, und das Relay ist kein offenes Relay. (Ein Client aus der ausgehenden Zulassungsliste kann trotzdem unverändert dorthin senden.)</translation>
        </message>
        <message>
            <source>for allowed clients</source>
            <translation>für zugelassene Clients</translation>
        </message>
        <message>
            <source>Accepted (%1 area)</source>
            <translation>Angenommen (Bereich %1)</translation>
        </message>
        <message>
            <source>Depends on the recipient: type one above.</source>
            <translation>Hängt vom Empfänger ab: Geben Sie oben einen ein.</translation>
        </message>
        <message>
            <source>The recipient is not a valid address: %1</source>
            <translation>Der Empfänger ist keine gültige Adresse: %1</translation>
        </message>
        <message>
            <source>(the recipient becomes %1)</source>
            <translation>(der Empfänger wird zu %1)</translation>
        </message>
        <message>
            <source>Sent unchanged (no Outbound rule matches the sender)</source>
            <translation>Unverändert gesendet (keine Outbound-Regel trifft auf den Absender zu)</translation>
        </message>
        <message>
            <source>Sender rewritten (Outbound area)</source>
            <translation>Absender umgeschrieben (Bereich Outbound)</translation>
        </message>
        <message>
            <source>Would the target accept this?</source>
            <translation>Würde das Ziel das annehmen?</translation>
        </message>
        <message>
            <source>Asks the rewritten address's next hop at RCPT, as the relay does before accepting an Inbound or Relay recipient. No message is sent.</source>
            <translation>Fragt den Next Hop der umgeschriebenen Adresse beim RCPT, wie es das Relay vor der Annahme eines Inbound- oder Relay-Empfängers tut. Es wird keine Nachricht gesendet.</translation>
        </message>
        <message>
            <source>Only recipients are verified: choose Incoming.</source>
            <translation>Nur Empfänger werden geprüft: wählen Sie Eingehend.</translation>
        </message>
        <message>
            <source>Type a valid address above.</source>
            <translation>Geben Sie oben eine gültige Adresse ein.</translation>
        </message>
        <message>
            <source>Asking the target…</source>
            <translation>Ziel wird gefragt…</translation>
        </message>
        <message>
            <source>the next hop</source>
            <translation>der Next Hop</translation>
        </message>
        <message>
            <source>Yes: %1 accepts %2 (%3).</source>
            <translation>Ja: %1 nimmt %2 an (%3).</translation>
        </message>
        <message>
            <source>No: %1 refuses %2 (%3). The relay answers 550 5.1.1 at RCPT, so nothing is bounced.</source>
            <translation>Nein: %1 weist %2 ab (%3). Das Relay antwortet beim RCPT mit 550 5.1.1, es wird also nichts zurückgeschickt.</translation>
        </message>
        <message>
            <source>Cannot tell: %1. The relay answers 450 4.1.1 at RCPT and the sender retries later.</source>
            <translation>Nicht feststellbar: %1. Das Relay antwortet beim RCPT mit 450 4.1.1 und der Absender versucht es später erneut.</translation>
        </message>
        <message>
            <source>Not asked: %1.</source>
            <translation>Nicht gefragt: %1.</translation>
        </message>
        <message>
            <source>No Inbound or Relay rule matches: the relay does not verify it.</source>
            <translation>Keine Inbound- oder Relay-Regel passt: das Relay prüft sie nicht.</translation>
        </message>
        <message>
            <source>Recipient verification is off (verify.recipients).</source>
            <translation>Die Empfängerprüfung ist ausgeschaltet (verify.recipients).</translation>
        </message>
        <message>
            <source>Its domain is excluded from verification (verify.exclude_domains).</source>
            <translation>Ihre Domain ist von der Prüfung ausgenommen (verify.exclude_domains).</translation>
        </message>
    </context>
    <context>
        <name>mailroute::AreaConfigPage</name>
        <message>
            <source>%1 — Configuration</source>
            <translation>%1 — Konfiguration</translation>
        </message>
        <message>
            <source>Short-term domain moves between tenants (about 48 hours): recipients of the original domain are redirected to the same user at the new domain.</source>
            <translation>Kurzfristige Domänenumzüge zwischen Mandanten (etwa 48 Stunden): Empfänger der ursprünglichen Domäne werden an denselben Benutzer der neuen Domäne umgeleitet.</translation>
        </message>
        <message>
            <source>Routing during a staged migration or coexistence: each recipient goes to the mailbox where the user lives today. A user mapping wins over its domain's mapping.</source>
            <translation>Routing während einer stufenweisen Migration oder Koexistenz: Jeder Empfänger geht an das Postfach, in dem der Benutzer heute liegt. Eine Benutzerzuordnung hat Vorrang vor der Zuordnung ihrer Domäne.</translation>
        </message>
        <message>
            <source>Mail systems send through the relay so that senders keep the address the world knows: senders are rewritten. A user mapping wins over its domain's mapping.</source>
            <translation>E-Mail-Systeme senden über das Relay, damit Absender die Adresse behalten, die die Welt kennt: Absender werden umgeschrieben. Eine Benutzerzuordnung hat Vorrang vor der Zuordnung ihrer Domäne.</translation>
        </message>
        <message>
            <source>Domain mappings</source>
            <translation>Domänenzuordnungen</translation>
        </message>
        <message>
            <source>Filter domains</source>
            <translation>Domänen filtern</translation>
        </message>
        <message>
            <source>No domain mappings yet.
Use Domains ▸ Create Domain Mapping to redirect a whole domain (@old.example → @new.example).</source>
            <translation>Noch keine Domänenzuordnungen.
Mit Domänen ▸ Domänenzuordnung erstellen leiten Sie eine ganze Domäne um (@alt.example → @neu.example).</translation>
        </message>
        <message>
            <source>Domain mapping changed. Push to apply it to the relay.</source>
            <translation>Domänenzuordnung geändert. Veröffentlichen Sie, um sie auf das Relay anzuwenden.</translation>
        </message>
        <message>
            <source>User mappings</source>
            <translation>Benutzerzuordnungen</translation>
        </message>
        <message>
            <source>Filter users (source or target contains…)</source>
            <translation>Benutzer filtern (Quelle oder Ziel enthält…)</translation>
        </message>
        <message>
            <source>No user mappings yet.
Use Users ▸ Upload CSV (or drop a .csv file here) for a whole list, or Users ▸ Create User Mapping for one.</source>
            <translation>Noch keine Benutzerzuordnungen.
Mit Benutzer ▸ CSV hochladen (oder indem Sie eine .csv-Datei hier ablegen) laden Sie eine ganze Liste, mit Benutzer ▸ Benutzerzuordnung erstellen eine einzelne.</translation>
        </message>
        <message>
            <source>User mapping changed. Push to apply it to the relay.</source>
            <translation>Benutzerzuordnung geändert. Veröffentlichen Sie, um sie auf das Relay anzuwenden.</translation>
        </message>
        <message>
            <source>Create Domain Mapping…</source>
            <translation>Domänenzuordnung erstellen…</translation>
        </message>
        <message>
            <source>Delete Domain Mapping(s)…</source>
            <translation>Domänenzuordnung(en) löschen…</translation>
        </message>
        <message>
            <source>Upload CSV…</source>
            <translation>CSV hochladen…</translation>
        </message>
        <message>
            <source>Download sample CSV…</source>
            <translation>Beispiel-CSV herunterladen…</translation>
        </message>
        <message>
            <source>Export UserList…</source>
            <translation>Benutzerliste exportieren…</translation>
        </message>
        <message>
            <source>Create User Mapping…</source>
            <translation>Benutzerzuordnung erstellen…</translation>
        </message>
        <message>
            <source>Delete User(s) Mapping…</source>
            <translation>Benutzerzuordnung(en) löschen…</translation>
        </message>
        <message>
            <source>&amp;Domains</source>
            <translation>&amp;Domänen</translation>
        </message>
        <message>
            <source>&amp;Users</source>
            <translation>&amp;Benutzer</translation>
        </message>
        <message>
            <source>&amp;Push</source>
            <translation>&amp;Veröffentlichen</translation>
        </message>
        <message>
            <source>Review what changed since the last push, then make it active in the relay</source>
            <translation>Prüfen, was sich seit der letzten Veröffentlichung geändert hat, und es dann im Relay aktivieren</translation>
        </message>
        <message>
            <source>Unpushed changes</source>
            <translation>Nicht veröffentlichte Änderungen</translation>
        </message>
        <message>
            <source>Checking for unpushed changes…</source>
            <translation>Suche nach nicht veröffentlichten Änderungen…</translation>
        </message>
        <message>
            <source>Everything is pushed</source>
            <translation>Alles ist veröffentlicht</translation>
        </message>
        <message>
            <source>Nothing to push yet</source>
            <translation>Noch nichts zu veröffentlichen</translation>
        </message>
        <message>
            <source>%1 unpushed change(s)</source>
            <translation>Nicht veröffentlichte Änderungen: %1</translation>
        </message>
        <message numerus="yes">
            <source>%n domain mapping(s)</source>
            <translation>
                <numerusform>%n Domänenzuordnung</numerusform>
                <numerusform>%n Domänenzuordnungen</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 of %n domain mapping(s) match</source>
            <translation>
                <numerusform>%1 von %n Domänenzuordnung trifft zu</numerusform>
                <numerusform>%1 von %n Domänenzuordnungen treffen zu</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n checked</source>
            <translation>
                <numerusform>%n markiert</numerusform>
                <numerusform>%n markiert</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 user mapping(s)</source>
            <translation>Benutzerzuordnungen: %1</translation>
        </message>
        <message>
            <source>%1 of %2 user mapping(s) match</source>
            <translation>%1 von %2 Benutzerzuordnung(en) treffen zu</translation>
        </message>
        <message>
            <source>Start here: create a domain mapping (Domains ▸ Create Domain Mapping) or upload your user list (Users ▸ Upload CSV; Users ▸ Download sample CSV shows the format). Then click Push to make the rules active.</source>
            <translation>Beginnen Sie hier: Erstellen Sie eine Domänenzuordnung (Domänen ▸ Domänenzuordnung erstellen) oder laden Sie Ihre Benutzerliste hoch (Benutzer ▸ CSV hochladen; Benutzer ▸ Beispiel-CSV herunterladen zeigt das Format). Klicken Sie dann auf Veröffentlichen, um die Regeln zu aktivieren.</translation>
        </message>
        <message>
            <source>Start here: create a domain mapping (Domains ▸ Create Domain Mapping) for a domain that moves between tenants, then click Push to make it active.</source>
            <translation>Beginnen Sie hier: Erstellen Sie eine Domänenzuordnung (Domänen ▸ Domänenzuordnung erstellen) für eine Domäne, die zwischen Mandanten umzieht, und klicken Sie dann auf Veröffentlichen, um sie zu aktivieren.</translation>
        </message>
        <message>
            <source>Domain mapping %1 → %2 created. Push to apply it to the relay.</source>
            <translation>Domänenzuordnung %1 → %2 erstellt. Veröffentlichen Sie, um sie auf das Relay anzuwenden.</translation>
        </message>
        <message>
            <source>User mapping %1 → %2 created. Push to apply it to the relay.</source>
            <translation>Benutzerzuordnung %1 → %2 erstellt. Veröffentlichen Sie, um sie auf das Relay anzuwenden.</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>The relay keeps the current rules until you push.</source>
            <translation>Das Relay behält die aktuellen Regeln, bis Sie veröffentlichen.</translation>
        </message>
        <message>
            <source>Check the domain mappings to delete first (the box in front of each row), or select rows.</source>
            <translation>Markieren Sie zuerst die zu löschenden Domänenzuordnungen (das Kästchen vor jeder Zeile), oder wählen Sie Zeilen aus.</translation>
        </message>
        <message>
            <source>Delete the domain mapping of %1?</source>
            <translation>Die Domänenzuordnung von %1 löschen?</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n domain mapping(s)?</source>
            <translation>
                <numerusform>%n Domänenzuordnung löschen?</numerusform>
                <numerusform>%n Domänenzuordnungen löschen?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n domain mapping(s) deleted. Push to apply.</source>
            <translation>
                <numerusform>%n Domänenzuordnung gelöscht. Zum Anwenden veröffentlichen.</numerusform>
                <numerusform>%n Domänenzuordnungen gelöscht. Zum Anwenden veröffentlichen.</numerusform>
            </translation>
        </message>
        <message>
            <source>Check the user mappings to delete first (the box in front of each row), or select rows.</source>
            <translation>Markieren Sie zuerst die zu löschenden Benutzerzuordnungen (das Kästchen vor jeder Zeile), oder wählen Sie Zeilen aus.</translation>
        </message>
        <message>
            <source>Delete the user mapping of %1?</source>
            <translation>Die Benutzerzuordnung von %1 löschen?</translation>
        </message>
        <message>
            <source>Delete %1 user mappings?</source>
            <translation>%1 Benutzerzuordnungen löschen?</translation>
        </message>
        <message numerus="yes">
            <source>%n user mapping(s) deleted. Push to apply.</source>
            <translation>
                <numerusform>%n Benutzerzuordnung gelöscht. Zum Anwenden veröffentlichen.</numerusform>
                <numerusform>%n Benutzerzuordnungen gelöscht. Zum Anwenden veröffentlichen.</numerusform>
            </translation>
        </message>
        <message>
            <source>Upload CSV — replaces the %1 user list</source>
            <translation>CSV hochladen — ersetzt die Benutzerliste von %1</translation>
        </message>
        <message>
            <source>User list replaced: %1 new, %2 changed, %3 removed. Push to apply it to the relay.</source>
            <translation>Benutzerliste ersetzt: %1 neu, %2 geändert, %3 entfernt. Veröffentlichen Sie, um sie auf das Relay anzuwenden.</translation>
        </message>
        <message>
            <source>Save sample CSV</source>
            <translation>Beispiel-CSV speichern</translation>
        </message>
        <message>
            <source>Sample saved to %1. Fill in one line per user and upload it with Users ▸ Upload CSV.</source>
            <translation>Beispiel unter %1 gespeichert. Tragen Sie eine Zeile pro Benutzer ein und laden Sie die Datei mit Benutzer ▸ CSV hochladen hoch.</translation>
        </message>
        <message>
            <source>Export the %1 user list</source>
            <translation>Die Benutzerliste von %1 exportieren</translation>
        </message>
        <message>
            <source>Exporting to %1…</source>
            <translation>Export nach %1…</translation>
        </message>
        <message>
            <source>%1 user mapping(s) exported to %2.</source>
            <translation>%1 Benutzerzuordnung(en) nach %2 exportiert.</translation>
        </message>
        <message>
            <source>Filter domain mappings</source>
            <translation>Domänenzuordnungen filtern</translation>
        </message>
        <message>
            <source>Shows only the domain mappings that contain this text.</source>
            <translation>Zeigt nur die Domänenzuordnungen, die diesen Text enthalten.</translation>
        </message>
        <message>
            <source>One domain mapping per row. F2 edits a cell, Space checks a row, Delete deletes the checked or selected rows.</source>
            <translation>Eine Domänenzuordnung pro Zeile. F2 bearbeitet eine Zelle, Leertaste markiert eine Zeile, Entf löscht die markierten oder ausgewählten Zeilen.</translation>
        </message>
        <message>
            <source>Filter user mappings</source>
            <translation>Benutzerzuordnungen filtern</translation>
        </message>
        <message>
            <source>Shows only the user mappings whose source or target contains this text.</source>
            <translation>Zeigt nur die Benutzerzuordnungen, deren Quelle oder Ziel diesen Text enthält.</translation>
        </message>
        <message>
            <source>One user mapping per row. F2 edits a cell, Space checks a row, Delete deletes the checked or selected rows.</source>
            <translation>Eine Benutzerzuordnung pro Zeile. F2 bearbeitet eine Zelle, Leertaste markiert eine Zeile, Entf löscht die markierten oder ausgewählten Zeilen.</translation>
        </message>
        <message>
            <source>Menu: create or delete domain mappings</source>
            <translation>Menü: Domänenzuordnungen anlegen oder löschen</translation>
        </message>
        <message>
            <source>Menu: upload, export or download a sample CSV, create or delete user mappings</source>
            <translation>Menü: CSV hochladen, exportieren oder ein Beispiel herunterladen, Benutzerzuordnungen anlegen oder löschen</translation>
        </message>
    </context>
    <context>
        <name>mailroute::AreaLogsPage</name>
        <message>
            <source>&amp;Follow</source>
            <translation>&amp;Folgen</translation>
        </message>
        <message>
            <source>P&amp;ause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>%1 — Logs</source>
            <translation>%1 — Protokolle</translation>
        </message>
        <message>
            <source>Keep the newest line in view</source>
            <translation>Die neueste Zeile im Blick behalten</translation>
        </message>
        <message>
            <source>Freeze the list to read it; new lines wait and appear when you resume</source>
            <translation>Liste anhalten, um sie zu lesen; neue Zeilen warten und erscheinen beim Fortsetzen</translation>
        </message>
        <message>
            <source>%1 messages</source>
            <translation>%1-Nachrichten</translation>
        </message>
        <message>
            <source>All messages</source>
            <translation>Alle Nachrichten</translation>
        </message>
        <message>
            <source>All events</source>
            <translation>Alle Ereignisse</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Empfangen</translation>
        </message>
        <message>
            <source>Rewritten</source>
            <translation>Umgeschrieben</translation>
        </message>
        <message>
            <source>Delivered</source>
            <translation>Zugestellt</translation>
        </message>
        <message>
            <source>Deferred</source>
            <translation>Zurückgestellt</translation>
        </message>
        <message>
            <source>Bounced</source>
            <translation>Unzustellbar</translation>
        </message>
        <message>
            <source>Errors</source>
            <translation>Fehler</translation>
        </message>
        <message>
            <source>Filter: address, queue id, host, reply…</source>
            <translation>Filter: Adresse, Warteschlangen-ID, Host, Antwort…</translation>
        </message>
        <message>
            <source>&amp;Export CSV…</source>
            <translation>Als CSV &amp;exportieren…</translation>
        </message>
        <message>
            <source>No mail yet.
Lines appear here live once the relay is active (Relay service ▸ Settings &amp; Activation ▸ Activate) and mail arrives. Older lines stay in the database; mailroutectl logs shows them.</source>
            <translation>Noch keine E-Mails.
Zeilen erscheinen hier live, sobald das Relay aktiv ist (Relay-Dienst ▸ Einstellungen und Aktivierung ▸ Aktivieren) und E-Mails eintreffen. Ältere Zeilen bleiben in der Datenbank; mailroutectl logs zeigt sie an.</translation>
        </message>
        <message>
            <source>Live message log</source>
            <translation>Live-Nachrichtenprotokoll</translation>
        </message>
        <message>
            <source>Nothing logged yet.
Every change to the %1 mappings and every push is listed here, whether made in the console or with mailroutectl.</source>
            <translation>Noch nichts protokolliert.
Jede Änderung an den %1-Zuordnungen und jede Veröffentlichung wird hier aufgeführt, ob in der Konsole oder mit mailroutectl vorgenommen.</translation>
        </message>
        <message>
            <source>Action log</source>
            <translation>Aktionsprotokoll</translation>
        </message>
        <message>
            <source>Res&amp;ume</source>
            <translation>F&amp;ortsetzen</translation>
        </message>
        <message>
            <source>%1 of %2 line(s) shown; the newest %3 are kept</source>
            <translation>%1 von %2 Zeile(n) angezeigt; die neuesten %3 werden behalten</translation>
        </message>
        <message>
            <source>paused, %1 new line(s) waiting</source>
            <translation>angehalten, %1 neue Zeile(n) wartend</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <source>Export the message log</source>
            <translation>Das Nachrichtenprotokoll exportieren</translation>
        </message>
        <message>
            <source>%1 line(s) exported to %2.</source>
            <translation>%1 Zeile(n) nach %2 exportiert.</translation>
        </message>
        <message>
            <source>Messages a rule of this area rewrote, or every message the relay handled; refusals and errors show in both</source>
            <translation>Nachrichten, die eine Regel dieses Bereichs umgeschrieben hat, oder alle Nachrichten des Relays; Ablehnungen und Fehler erscheinen in beiden</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>Abgelehnt</translation>
        </message>
        <message>
            <source>Messages shown</source>
            <translation>Angezeigte Nachrichten</translation>
        </message>
        <message>
            <source>Events shown</source>
            <translation>Angezeigte Ereignisse</translation>
        </message>
        <message>
            <source>Filter the message log</source>
            <translation>Nachrichtenprotokoll filtern</translation>
        </message>
        <message>
            <source>Message log</source>
            <translation>Nachrichtenprotokoll</translation>
        </message>
    </context>
    <context>
        <name>mailroute::CertificatePanel</name>
        <message>
            <source>&amp;Generate Self-Signed Certificate…</source>
            <translation>Selbstsigniertes Zertifikat &amp;generieren…</translation>
        </message>
        <message>
            <source>For a first test: a certificate no client will trust, made with openssl, written beside the database</source>
            <translation>Für einen ersten Test: ein Zertifikat, dem kein Client vertraut, mit openssl erstellt und neben der Datenbank gespeichert</translation>
        </message>
        <message>
            <source>Subject:</source>
            <translation>Antragsteller:</translation>
        </message>
        <message>
            <source>Issuer:</source>
            <translation>Aussteller:</translation>
        </message>
        <message>
            <source>Valid:</source>
            <translation>Gültig:</translation>
        </message>
        <message>
            <source>Expiry:</source>
            <translation>Ablauf:</translation>
        </message>
        <message>
            <source>No certificate: STARTTLS is not offered.</source>
            <translation>Kein Zertifikat: STARTTLS wird nicht angeboten.</translation>
        </message>
        <message>
            <source>%1 holds no PEM certificate (or cannot be read).</source>
            <translation>%1 enthält kein PEM-Zertifikat (oder ist nicht lesbar).</translation>
        </message>
        <message>
            <source>%1 (self-signed)</source>
            <translation>%1 (selbstsigniert)</translation>
        </message>
        <message>
            <source>%1 to %2</source>
            <translation>%1 bis %2</translation>
        </message>
        <message>
            <source>Expired on %1: renew it. Most senders still use it, but many refuse it.</source>
            <translation>Abgelaufen am %1: Erneuern Sie es. Die meisten Absender verwenden es noch, viele lehnen es aber ab.</translation>
        </message>
        <message numerus="yes">
            <source>Expires in %n day(s), on %1: renew it soon.</source>
            <translation>
                <numerusform>Läuft in %n Tag ab, am %1: Erneuern Sie es bald.</numerusform>
                <numerusform>Läuft in %n Tagen ab, am %1: Erneuern Sie es bald.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Valid until %1 (%n day(s) left).</source>
            <translation>
                <numerusform>Gültig bis %1 (noch %n Tag).</numerusform>
                <numerusform>Gültig bis %1 (noch %n Tage).</numerusform>
            </translation>
        </message>
        <message>
            <source>Generate Self-Signed Certificate</source>
            <translation>Selbstsigniertes Zertifikat generieren</translation>
        </message>
        <message>
            <source>Host name the certificate is for (the name clients connect to):</source>
            <translation>Hostname, für den das Zertifikat gilt (der Name, mit dem sich Clients verbinden):</translation>
        </message>
    </context>
    <context>
        <name>mailroute::CsvImportDialog</name>
        <message>
            <source>&amp;Export Current List First…</source>
            <translation>Aktuelle Liste zuerst &amp;exportieren…</translation>
        </message>
        <message>
            <source>&amp;Replace User List</source>
            <translation>Benutzerliste e&amp;rsetzen</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Upload CSV — %1 users</source>
            <translation>CSV hochladen — %1-Benutzer</translation>
        </message>
        <message>
            <source>File: %1 (%2)</source>
            <translation>Datei: %1 (%2)</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <source>Replacing the %1 user list in one transaction…</source>
            <translation>Die Benutzerliste von %1 wird in einer Transaktion ersetzt…</translation>
        </message>
        <message>
            <source>Reading and checking every row…</source>
            <translation>Jede Zeile wird gelesen und geprüft…</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>%1 kann nicht gelesen werden: %2</translation>
        </message>
        <message>
            <source>Comparing with the current list…</source>
            <translation>Vergleich mit der aktuellen Liste…</translation>
        </message>
        <message>
            <source>The file was refused as a whole: nothing was changed. Fix the lines below and upload it again.</source>
            <translation>Die Datei wurde als Ganzes abgelehnt: Nichts wurde geändert. Korrigieren Sie die Zeilen unten und laden Sie sie erneut hoch.</translation>
        </message>
        <message numerus="yes">
            <source>&lt;b&gt;%n error(s)&lt;/b&gt; found.</source>
            <translation>
                <numerusform>&lt;b&gt;%n Fehler&lt;/b&gt; gefunden.</numerusform>
                <numerusform>&lt;b&gt;%n Fehler&lt;/b&gt; gefunden.</numerusform>
            </translation>
        </message>
        <message>
            <source>Line %1: %2</source>
            <translation>Zeile %1: %2</translation>
        </message>
        <message numerus="yes">
            <source>The file is valid: %n row(s).</source>
            <translation>
                <numerusform>Die Datei ist gültig: %n Zeile.</numerusform>
                <numerusform>Die Datei ist gültig: %n Zeilen.</numerusform>
            </translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; new, &lt;b&gt;%2&lt;/b&gt; changed, &lt;b&gt;%3&lt;/b&gt; removed, %4 unchanged.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; neu, &lt;b&gt;%2&lt;/b&gt; geändert, &lt;b&gt;%3&lt;/b&gt; entfernt, %4 unverändert.</translation>
        </message>
        <message>
            <source>The table shows the first %1 of each kind.</source>
            <translation>Die Tabelle zeigt die ersten %1 jeder Art.</translation>
        </message>
        <message>
            <source>&lt;b&gt;Uploading replaces the whole %1 user list&lt;/b&gt;: its %2 current mapping(s) are replaced by the %3 in this file. Export the current list first if you may want it back. The change reaches the relay when you push.</source>
            <translation>&lt;b&gt;Das Hochladen ersetzt die gesamte Benutzerliste von %1&lt;/b&gt;: Ihre %2 aktuelle(n) Zuordnung(en) werden durch die %3 aus dieser Datei ersetzt. Exportieren Sie die aktuelle Liste zuerst, falls Sie sie zurückhaben möchten. Die Änderung erreicht das Relay, wenn Sie veröffentlichen.</translation>
        </message>
        <message>
            <source>The user list was not replaced: %1</source>
            <translation>Die Benutzerliste wurde nicht ersetzt: %1</translation>
        </message>
        <message>
            <source>Export the current %1 user list</source>
            <translation>Die aktuelle Benutzerliste von %1 exportieren</translation>
        </message>
        <message>
            <source>Exporting the current list to %1…</source>
            <translation>Die aktuelle Liste wird nach %1 exportiert…</translation>
        </message>
        <message>
            <source>%1 mapping(s) exported to %2.</source>
            <translation>%1 Zuordnung(en) nach %2 exportiert.</translation>
        </message>
        <message>
            <source>Problems in the file</source>
            <translation>Probleme in der Datei</translation>
        </message>
        <message>
            <source>Changes the upload makes</source>
            <translation>Änderungen durch das Hochladen</translation>
        </message>
    </context>
    <context>
        <name>mailroute::DeliveryNotices</name>
        <message>
            <source>Delivery problems</source>
            <translation>Zustellprobleme</translation>
        </message>
        <message numerus="yes">
            <source>%n message recipient(s) bounced; see the Logs pages.</source>
            <translation>
                <numerusform>%n Nachrichtenempfänger unzustellbar; siehe die Protokollseiten.</numerusform>
                <numerusform>%n Nachrichtenempfänger unzustellbar; siehe die Protokollseiten.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n delivery attempt(s) deferred; the relay retries them (Queue page).</source>
            <translation>
                <numerusform>%n Zustellversuch zurückgestellt; das Relay wiederholt ihn (Seite Warteschlange).</numerusform>
                <numerusform>%n Zustellversuche zurückgestellt; das Relay wiederholt sie (Seite Warteschlange).</numerusform>
            </translation>
        </message>
        <message>
            <source>Delivery failed</source>
            <translation>Zustellung fehlgeschlagen</translation>
        </message>
        <message>
            <source>Mail deferred</source>
            <translation>E-Mail zurückgestellt</translation>
        </message>
        <message>
            <source>MailRoute relay</source>
            <translation>MailRoute-Relay</translation>
        </message>
        <message>
            <source>Mail routing stopped</source>
            <translation>Mail-Routing gestoppt</translation>
        </message>
        <message>
            <source>The headless relay (mailroutectl serve) on this database is no longer running.</source>
            <translation>Das Relay ohne Oberfläche (mailroutectl serve) auf dieser Datenbank läuft nicht mehr.</translation>
        </message>
        <message>
            <source>The relay in this console is no longer running.</source>
            <translation>Das Relay in dieser Konsole läuft nicht mehr.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::DkimKeysPanel</name>
        <message>
            <source>active (signs)</source>
            <translation>aktiv (signiert)</translation>
        </message>
        <message>
            <source>pending (publish, then push)</source>
            <translation>wartend (veröffentlichen, dann übertragen)</translation>
        </message>
        <message>
            <source>retired</source>
            <translation>ausgemustert</translation>
        </message>
        <message>
            <source>Mail authentication</source>
            <translation>E-Mail-Authentifizierung</translation>
        </message>
        <message>
            <source>Outbound mail whose sender the relay rewrote is DKIM-signed for the new domain with that domain's active key. Publish each key's record in the domain's DNS before you push. A rotation adds a pending key: the first push that finds its record in DNS makes it active and retires the old key (keep the old record published a few more days).</source>
            <translation>Ausgehende E-Mail, deren Absender das Relay umgeschrieben hat, wird für die neue Domain mit deren aktivem Schlüssel DKIM-signiert. Veröffentlichen Sie den Eintrag jedes Schlüssels im DNS der Domain, bevor Sie übertragen. Eine Rotation fügt einen wartenden Schlüssel hinzu: Die erste Übertragung, die seinen Eintrag im DNS findet, macht ihn aktiv und mustert den alten Schlüssel aus (lassen Sie den alten Eintrag noch einige Tage veröffentlicht).</translation>
        </message>
        <message>
            <source>DKIM keys</source>
            <translation>DKIM-Schlüssel</translation>
        </message>
        <message>
            <source>Domain</source>
            <translation>Domain</translation>
        </message>
        <message>
            <source>Selector</source>
            <translation>Selektor</translation>
        </message>
        <message>
            <source>Algorithm</source>
            <translation>Algorithmus</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Record to publish</source>
            <translation>Zu veröffentlichender Eintrag</translation>
        </message>
        <message>
            <source>&amp;Copy Record</source>
            <translation>Eintrag &amp;kopieren</translation>
        </message>
        <message>
            <source>Copy the selected key's record (name and TXT value) to the clipboard</source>
            <translation>Den Eintrag des gewählten Schlüssels (Name und TXT-Wert) in die Zwischenablage kopieren</translation>
        </message>
        <message>
            <source>R&amp;otate…</source>
            <translation>R&amp;otieren…</translation>
        </message>
        <message>
            <source>Create a new pending key for the selected key's domain</source>
            <translation>Einen neuen wartenden Schlüssel für die Domain des gewählten Schlüssels erzeugen</translation>
        </message>
        <message>
            <source>Re&amp;move…</source>
            <translation>Ent&amp;fernen…</translation>
        </message>
        <message>
            <source>drypizza.com</source>
            <translation>drypizza.com</translation>
        </message>
        <message>
            <source>RSA 2048 bits (every receiver)</source>
            <translation>RSA 2048 Bit (jeder Empfänger)</translation>
        </message>
        <message>
            <source>RSA 3072 bits</source>
            <translation>RSA 3072 Bit</translation>
        </message>
        <message>
            <source>Ed25519 (not every receiver verifies it)</source>
            <translation>Ed25519 (nicht jeder Empfänger prüft es)</translation>
        </message>
        <message>
            <source>Se&amp;lector:</source>
            <translation>Se&amp;lektor:</translation>
        </message>
        <message>
            <source>Generate &amp;Key</source>
            <translation>Schlüssel &amp;erzeugen</translation>
        </message>
        <message>
            <source>Key %1 for %2 created. Publish its record, then push: it signs from that push.</source>
            <translation>Schlüssel %1 für %2 erzeugt. Veröffentlichen Sie seinen Eintrag, dann übertragen Sie: Ab dieser Übertragung signiert er.</translation>
        </message>
        <message>
            <source>Key %1 for %2 created, pending. Publish its record; the first push that finds it in DNS makes it active.</source>
            <translation>Schlüssel %1 für %2 erzeugt, wartend. Veröffentlichen Sie seinen Eintrag; die erste Übertragung, die ihn im DNS findet, macht ihn aktiv.</translation>
        </message>
        <message>
            <source>Rotate DKIM key</source>
            <translation>DKIM-Schlüssel rotieren</translation>
        </message>
        <message>
            <source>Create a new key for %1? It stays pending until its record is published and a push finds it; then it replaces the active key.</source>
            <translation>Einen neuen Schlüssel für %1 erzeugen? Er bleibt wartend, bis sein Eintrag veröffentlicht ist und eine Übertragung ihn findet; dann ersetzt er den aktiven Schlüssel.</translation>
        </message>
        <message>
            <source>Key %1 for %2 created, pending. Publish its record: %3</source>
            <translation>Schlüssel %1 für %2 erzeugt, wartend. Veröffentlichen Sie seinen Eintrag: %3</translation>
        </message>
        <message>
            <source>Remove DKIM key</source>
            <translation>DKIM-Schlüssel entfernen</translation>
        </message>
        <message>
            <source>Remove the key %1 of %2 from the draft? After the next push it no longer signs; mail signed with it still needs its record for a few days.</source>
            <translation>Den Schlüssel %1 von %2 aus dem Entwurf entfernen? Nach der nächsten Übertragung signiert er nicht mehr; mit ihm signierte E-Mail braucht seinen Eintrag noch einige Tage.</translation>
        </message>
        <message>
            <source>Key %1 of %2 removed, its key file deleted.</source>
            <translation>Schlüssel %1 von %2 entfernt, seine Schlüsseldatei gelöscht.</translation>
        </message>
        <message>
            <source>Key %1 of %2 removed from the draft. Its key file stays: a pushed generation uses it, and a rollback could make it sign again.</source>
            <translation>Schlüssel %1 von %2 aus dem Entwurf entfernt. Seine Schlüsseldatei bleibt: Eine übertragene Generation verwendet sie, und ein Zurücksetzen könnte ihn wieder signieren lassen.</translation>
        </message>
        <message>
            <source>Record copied: %1</source>
            <translation>Eintrag kopiert: %1</translation>
        </message>
        <message>
            <source>Signing &amp;domain:</source>
            <translation>Signierende &amp;Domain:</translation>
        </message>
        <message>
            <source>Algorit&amp;hm:</source>
            <translation>Algorith&amp;mus:</translation>
        </message>
    </context>
    <context>
        <name>mailroute::DomainMappingModel</name>
        <message>
            <source>Every address of %1 goes to the same user at %2. Double-click to edit.</source>
            <translation>Jede Adresse von %1 geht an denselben Benutzer bei %2. Zum Bearbeiten doppelklicken.</translation>
        </message>
        <message>
            <source>%1 is not a valid domain: %2</source>
            <translation>%1 ist keine gültige Domäne: %2</translation>
        </message>
        <message>
            <source>%1 cannot be mapped to itself.</source>
            <translation>%1 kann nicht sich selbst zugeordnet werden.</translation>
        </message>
        <message>
            <source>A domain mapping for %1 already exists.</source>
            <translation>Eine Domänenzuordnung für %1 besteht bereits.</translation>
        </message>
        <message>
            <source>Original Email Domain</source>
            <translation>Ursprüngliche E-Mail-Domäne</translation>
        </message>
        <message>
            <source>Redirected Email Domain</source>
            <translation>Umgeleitete E-Mail-Domäne</translation>
        </message>
    </context>
    <context>
        <name>mailroute::DraftUndo</name>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Rückgängig</translation>
        </message>
        <message>
            <source>Undo the last change to the draft mappings (the history starts again at each push)</source>
            <translation>Die letzte Änderung an den Entwurfszuordnungen rückgängig machen (der Verlauf beginnt mit jeder Veröffentlichung neu)</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Wiederholen</translation>
        </message>
        <message>
            <source>Redo the change to the draft mappings that was undone last</source>
            <translation>Die zuletzt rückgängig gemachte Änderung an den Entwurfszuordnungen wiederherstellen</translation>
        </message>
        <message>
            <source>Create domain mapping %1 → %2</source>
            <translation>Domänenzuordnung %1 → %2 anlegen</translation>
        </message>
        <message>
            <source>Edit domain mapping %1</source>
            <translation>Domänenzuordnung %1 bearbeiten</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n domain mapping(s)</source>
            <translation>
                <numerusform>%n Domänenzuordnung löschen</numerusform>
                <numerusform>%n Domänenzuordnungen löschen</numerusform>
            </translation>
        </message>
        <message>
            <source>Create user mapping %1 → %2</source>
            <translation>Benutzerzuordnung %1 → %2 anlegen</translation>
        </message>
        <message>
            <source>Edit user mapping %1</source>
            <translation>Benutzerzuordnung %1 bearbeiten</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n user mapping(s)</source>
            <translation>
                <numerusform>%n Benutzerzuordnung löschen</numerusform>
                <numerusform>%n Benutzerzuordnungen löschen</numerusform>
            </translation>
        </message>
        <message>
            <source>Upload CSV (%1 user list)</source>
            <translation>CSV-Upload (Benutzerliste %1)</translation>
        </message>
        <message>
            <source>the saved user list could not be read</source>
            <translation>die gespeicherte Benutzerliste ist nicht lesbar</translation>
        </message>
    </context>
    <context>
        <name>mailroute::HoldDialog</name>
        <message>
            <source>Release automatically at</source>
            <translation>Automatisch freigeben am</translation>
        </message>
        <message>
            <source>Hold a Domain</source>
            <translation>Domäne zurückhalten</translation>
        </message>
        <message>
            <source>Mail for a held domain is accepted and queued, but neither attempted nor bounced until you release it, for example while a tenant re-verifies the domain. Its retry schedule starts at the release.</source>
            <translation>Mail für eine zurückgehaltene Domäne wird angenommen und in die Warteschlange gestellt, aber weder zugestellt noch zurückgewiesen, bis Sie sie freigeben, etwa während ein Tenant die Domäne erneut verifiziert. Ihr Wiederholungsplan beginnt mit der Freigabe.</translation>
        </message>
        <message>
            <source>Domain:</source>
            <translation>Domäne:</translation>
        </message>
        <message>
            <source>Hold</source>
            <translation>Zurückhalten</translation>
        </message>
        <message>
            <source>Enter the domain whose mail waits.</source>
            <translation>Geben Sie die Domäne ein, deren Mail warten soll.</translation>
        </message>
        <message>
            <source>The release time has passed.</source>
            <translation>Der Freigabezeitpunkt ist vorbei.</translation>
        </message>
        <message>
            <source>Release time</source>
            <translation>Freigabezeitpunkt</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ImportPreviewModel</name>
        <message>
            <source>New</source>
            <translation>Neu</translation>
        </message>
        <message>
            <source>Changed</source>
            <translation>Geändert</translation>
        </message>
        <message>
            <source>Removed</source>
            <translation>Entfernt</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Änderung</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Quelle</translation>
        </message>
        <message>
            <source>Current target</source>
            <translation>Aktuelles Ziel</translation>
        </message>
        <message>
            <source>New target</source>
            <translation>Neues Ziel</translation>
        </message>
    </context>
    <context>
        <name>mailroute::InfoBanner</name>
        <message>
            <source>Dismiss</source>
            <translation>Ausblenden</translation>
        </message>
        <message>
            <source>Hides this message.</source>
            <translation>Blendet diese Meldung aus.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::MainWindow</name>
        <message>
            <source>The relay reports a problem: %1</source>
            <translation>Das Relay meldet ein Problem: %1</translation>
        </message>
        <message>
            <source>Readiness</source>
            <translation>Bereitschaft</translation>
        </message>
        <message>
            <source>Mail Routing</source>
            <translation>E-Mail-Routing</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>Konfiguration</translation>
        </message>
        <message>
            <source>Logs</source>
            <translation>Protokolle</translation>
        </message>
        <message>
            <source>Relay service</source>
            <translation>Relay-Dienst</translation>
        </message>
        <message>
            <source>Settings &amp; Activation</source>
            <translation>Einstellungen und Aktivierung</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Warteschlange</translation>
        </message>
        <message>
            <source>Address tester</source>
            <translation>Adresstester</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <source>&amp;Mappings</source>
            <translation>&amp;Zuordnungen</translation>
        </message>
        <message>
            <source>Create &amp;Domain Mapping…</source>
            <translation>&amp;Domänenzuordnung erstellen…</translation>
        </message>
        <message>
            <source>&amp;Upload CSV…</source>
            <translation>CSV &amp;hochladen…</translation>
        </message>
        <message>
            <source>&amp;Export UserList…</source>
            <translation>Benutzerliste &amp;exportieren…</translation>
        </message>
        <message>
            <source>Download &amp;sample CSV…</source>
            <translation>Beispiel-CSV he&amp;runterladen…</translation>
        </message>
        <message>
            <source>&amp;Find</source>
            <translation>&amp;Suchen</translation>
        </message>
        <message>
            <source>&amp;Configuration</source>
            <translation>&amp;Konfiguration</translation>
        </message>
        <message>
            <source>&amp;Push…</source>
            <translation>&amp;Veröffentlichen…</translation>
        </message>
        <message>
            <source>&amp;Restore an Earlier Generation…</source>
            <translation>Frühere Generation &amp;wiederherstellen…</translation>
        </message>
        <message>
            <source>Re&amp;load</source>
            <translation>&amp;Neu laden</translation>
        </message>
        <message>
            <source>&amp;Relay</source>
            <translation>&amp;Relay</translation>
        </message>
        <message>
            <source>&amp;Activate</source>
            <translation>&amp;Aktivieren</translation>
        </message>
        <message>
            <source>&amp;Stop Mail Routing…</source>
            <translation>E-Mail-Routing an&amp;halten…</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <source>Relay Configuration</source>
            <translation>Relay-Konfiguration</translation>
        </message>
        <message>
            <source>Relay Logs</source>
            <translation>Relay-Protokolle</translation>
        </message>
        <message>
            <source>Inbound Configuration</source>
            <translation>Inbound-Konfiguration</translation>
        </message>
        <message>
            <source>Inbound Logs</source>
            <translation>Inbound-Protokolle</translation>
        </message>
        <message>
            <source>Outbound Configuration</source>
            <translation>Outbound-Konfiguration</translation>
        </message>
        <message>
            <source>Outbound Logs</source>
            <translation>Outbound-Protokolle</translation>
        </message>
        <message>
            <source>Settings &amp;&amp; Activation</source>
            <translation>Einstellungen und Aktivierung</translation>
        </message>
        <message>
            <source>Address Tester</source>
            <translation>Adresstester</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <source>&amp;About MailRoute</source>
            <translation>&amp;Über MailRoute</translation>
        </message>
        <message>
            <source>About &amp;Qt</source>
            <translation>Über &amp;Qt</translation>
        </message>
        <message>
            <source>Database: %1</source>
            <translation>Datenbank: %1</translation>
        </message>
        <message>
            <source>&amp;Show MailRoute</source>
            <translation>MailRoute an&amp;zeigen</translation>
        </message>
        <message>
            <source>S&amp;top Mail Routing…</source>
            <translation>E-Mail-Routing &amp;anhalten…</translation>
        </message>
        <message>
            <source>Generation %1</source>
            <translation>Generation %1</translation>
        </message>
        <message>
            <source>Nothing pushed yet</source>
            <translation>Noch nichts veröffentlicht</translation>
        </message>
        <message>
            <source>Unpushed changes</source>
            <translation>Nicht veröffentlichte Änderungen</translation>
        </message>
        <message>
            <source>%1 unpushed change(s)</source>
            <translation>Nicht veröffentlichte Änderungen: %1</translation>
        </message>
        <message>
            <source>Everything pushed</source>
            <translation>Alles veröffentlicht</translation>
        </message>
        <message>
            <source>Nothing to push yet</source>
            <translation>Noch nichts zu veröffentlichen</translation>
        </message>
        <message>
            <source>Relay: stopped</source>
            <translation>Relay: angehalten</translation>
        </message>
        <message>
            <source>Relay: stopped (%1)</source>
            <translation>Relay: angehalten (%1)</translation>
        </message>
        <message>
            <source>Relay: starting…</source>
            <translation>Relay: wird gestartet…</translation>
        </message>
        <message>
            <source>Relay: listening on %1</source>
            <translation>Relay: lauscht auf %1</translation>
        </message>
        <message>
            <source>Relay: stopping…</source>
            <translation>Relay: wird angehalten…</translation>
        </message>
        <message>
            <source>Relay: mailroutectl serve (headless) on this database</source>
            <translation>Relay: mailroutectl serve (ohne Oberfläche) auf dieser Datenbank</translation>
        </message>
        <message>
            <source>Sessions: %1</source>
            <translation>Sitzungen: %1</translation>
        </message>
        <message>
            <source>Sessions: –</source>
            <translation>Sitzungen: –</translation>
        </message>
        <message>
            <source>Queued: %1</source>
            <translation>In der Warteschlange: %1</translation>
        </message>
        <message>
            <source>Queued: –</source>
            <translation>In der Warteschlange: –</translation>
        </message>
        <message>
            <source>Generation %1 is active.</source>
            <translation>Generation %1 ist aktiv.</translation>
        </message>
        <message>
            <source>Push done</source>
            <translation>Veröffentlichung abgeschlossen</translation>
        </message>
        <message>
            <source>Configuration generation %1 is active.</source>
            <translation>Konfigurationsgeneration %1 ist aktiv.</translation>
        </message>
        <message>
            <source>nothing has been pushed</source>
            <translation>nichts wurde veröffentlicht</translation>
        </message>
        <message>
            <source>Generation %1 is active again.</source>
            <translation>Generation %1 ist wieder aktiv.</translation>
        </message>
        <message>
            <source>A headless relay (mailroutectl serve) already runs on this database and uses every push. Stop it first to run the relay here.</source>
            <translation>Ein Relay ohne Oberfläche (mailroutectl serve) läuft bereits auf dieser Datenbank und übernimmt jede Veröffentlichung. Halten Sie es zuerst an, um das Relay hier auszuführen.</translation>
        </message>
        <message>
            <source>Nothing has been pushed yet: the relay runs the active generation. Create your mappings, click Push, then Activate.</source>
            <translation>Noch nichts veröffentlicht: Das Relay führt die aktive Generation aus. Erstellen Sie Ihre Zuordnungen, klicken Sie auf Veröffentlichen und dann auf Aktivieren.</translation>
        </message>
        <message>
            <source>Unsaved settings are not used: the relay runs the pushed generation.</source>
            <translation>Nicht gespeicherte Einstellungen werden nicht verwendet: Das Relay führt die veröffentlichte Generation aus.</translation>
        </message>
        <message>
            <source>The relay cannot start: %1</source>
            <translation>Das Relay kann nicht starten: %1</translation>
        </message>
        <message>
            <source>Stop mail routing</source>
            <translation>E-Mail-Routing anhalten</translation>
        </message>
        <message>
            <source>Stop mail routing?</source>
            <translation>E-Mail-Routing anhalten?</translation>
        </message>
        <message>
            <source>Before you stop the relay:
• Inbound: point the MX records at the new mail system first, and wait out their TTL, or mail for those domains is refused or delayed.
• Outbound: turn off the connectors (Google Workspace outbound gateway, Office 365 connector) that send through this relay.

Open sessions are told to come back later (421 4.3.2); queued messages stay in the spool and go out when the relay runs again.</source>
            <translation>Bevor Sie das Relay anhalten:
• Eingehend: Richten Sie die MX-Einträge zuerst auf das neue E-Mail-System und warten Sie deren TTL ab, sonst werden E-Mails für diese Domänen abgewiesen oder verzögert.
• Ausgehend: Deaktivieren Sie die Connectors (ausgehendes Gateway von Google Workspace, Office 365-Connector), die über dieses Relay senden.

Offene Sitzungen werden gebeten, es später erneut zu versuchen (421 4.3.2); Nachrichten in der Warteschlange bleiben im Spool und werden versendet, sobald das Relay wieder läuft.</translation>
        </message>
        <message>
            <source>Checking the MX records of your Inbound and Relay domains…</source>
            <translation>Die MX-Einträge Ihrer Inbound- und Relay-Domänen werden geprüft…</translation>
        </message>
        <message>
            <source>%1 (MX %2)</source>
            <translation>%1 (MX %2)</translation>
        </message>
        <message>
            <source>Warning: the MX records of %1 still point to this relay. Mail for them is refused or delayed while routing is stopped.</source>
            <translation>Warnung: Die MX-Einträge von %1 zeigen noch auf dieses Relay. E-Mails an sie werden abgewiesen oder verzögert, solange das Routing angehalten ist.</translation>
        </message>
        <message>
            <source>No MX record of your Inbound and Relay domains points to this relay any more.</source>
            <translation>Kein MX-Eintrag Ihrer Inbound- und Relay-Domänen zeigt mehr auf dieses Relay.</translation>
        </message>
        <message>
            <source>No answer for: %1.</source>
            <translation>Keine Antwort für: %1.</translation>
        </message>
        <message>
            <source>Stop Mail Routing</source>
            <translation>E-Mail-Routing anhalten</translation>
        </message>
        <message>
            <source>The relay is running</source>
            <translation>Das Relay läuft</translation>
        </message>
        <message>
            <source>Mail routing is active. Keep it running in the system tray?</source>
            <translation>Das E-Mail-Routing ist aktiv. Im Infobereich weiterlaufen lassen?</translation>
        </message>
        <message>
            <source>Mail routing is active. Stop it and quit?</source>
            <translation>Das E-Mail-Routing ist aktiv. Anhalten und beenden?</translation>
        </message>
        <message>
            <source>Stopping tells open sessions to come back later; queued messages stay in the spool.</source>
            <translation>Beim Anhalten werden offene Sitzungen gebeten, es später erneut zu versuchen; Nachrichten in der Warteschlange bleiben im Spool.</translation>
        </message>
        <message>
            <source>Keep Running in Tray</source>
            <translation>Im Infobereich weiterlaufen lassen</translation>
        </message>
        <message>
            <source>Stop and Quit</source>
            <translation>Anhalten und beenden</translation>
        </message>
        <message>
            <source>MailRoute keeps routing mail</source>
            <translation>MailRoute leitet weiterhin E-Mails</translation>
        </message>
        <message>
            <source>The relay runs in the background. Use the tray icon to open the console or to quit.</source>
            <translation>Das Relay läuft im Hintergrund. Über das Symbol im Infobereich öffnen Sie die Konsole oder beenden das Programm.</translation>
        </message>
        <message>
            <source>Create Use&amp;r Mapping…</source>
            <translation>&amp;Benutzerzuordnung erstellen…</translation>
        </message>
        <message>
            <source>First, the relay's name: this machine is called '%1', which has no domain, so the relay would call itself %2 in its greeting and in bounces. On Settings &amp; Activation, set relay.hostname to the name your MX records will point at.</source>
            <translation>Zuerst der Name des Relays: Dieser Rechner heißt „%1“ und hat keine Domain, daher würde sich das Relay in seiner Begrüßung und in Unzustellbarkeitsberichten %2 nennen. Setzen Sie unter „Einstellungen und Aktivierung“ relay.hostname auf den Namen, auf den Ihre MX-Einträge zeigen werden.</translation>
        </message>
        <message>
            <source>Generation %1 is now active.</source>
            <translation>Generation %1 ist jetzt aktiv.</translation>
        </message>
        <message>
            <source>Pages</source>
            <translation>Seiten</translation>
        </message>
        <message>
            <source>Cannot undo or redo: %1. The undo history was cleared.</source>
            <translation>Rückgängig machen oder Wiederholen nicht möglich: %1. Der Verlauf wurde gelöscht.</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Bearbeiten</translation>
        </message>
        <message>
            <source>Undo history: draft mappings since the last push</source>
            <translation>Rückgängig-Verlauf: Entwurfszuordnungen seit der letzten Veröffentlichung</translation>
        </message>
        <message>
            <source>Waves</source>
            <translation>Wellen</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>Übersicht</translation>
        </message>
        <message>
            <source>Message trace</source>
            <translation>Nachrichtenverfolgung</translation>
        </message>
        <message>
            <source>Message Trace</source>
            <translation>Nachrichtenverfolgung</translation>
        </message>
    </context>
    <context>
        <name>mailroute::MappingDelegate</name>
        <message>
            <source>Enter a domain, for example @example.com.</source>
            <translation>Geben Sie eine Domäne ein, zum Beispiel @example.com.</translation>
        </message>
        <message>
            <source>Enter an address, for example user@example.com.</source>
            <translation>Geben Sie eine Adresse ein, zum Beispiel benutzer@example.com.</translation>
        </message>
        <message>
            <source>%1 was not saved: %2</source>
            <translation>%1 wurde nicht gespeichert: %2</translation>
        </message>
        <message>
            <source>%1 is not valid: %2. Correct it, or press Esc to cancel.</source>
            <translation>%1 ist ungültig: %2. Korrigieren Sie es, oder drücken Sie Esc zum Abbrechen.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::MappingDialog</name>
        <message>
            <source>Create</source>
            <translation>Erstellen</translation>
        </message>
        <message>
            <source>Create Domain Mapping — %1</source>
            <translation>Domänenzuordnung erstellen — %1</translation>
        </message>
        <message>
            <source>Create User Mapping — %1</source>
            <translation>Benutzerzuordnung erstellen — %1</translation>
        </message>
        <message>
            <source>Mail for every address of the original domain goes to the same user at the redirected domain. The leading @ is optional.</source>
            <translation>E-Mails an jede Adresse der ursprünglichen Domäne gehen an denselben Benutzer der umgeleiteten Domäne. Das führende @ ist optional.</translation>
        </message>
        <message>
            <source>Senders of the original domain are rewritten to the same user at the redirected domain. The leading @ is optional.</source>
            <translation>Absender der ursprünglichen Domäne werden auf denselben Benutzer der umgeleiteten Domäne umgeschrieben. Das führende @ ist optional.</translation>
        </message>
        <message>
            <source>@warmsushi.com</source>
            <translation>@warmsushi.com</translation>
        </message>
        <message>
            <source>@drypizza.com</source>
            <translation>@drypizza.com</translation>
        </message>
        <message>
            <source>Mail for the source address goes to the target address. A user mapping wins over the domain mapping of its domain.</source>
            <translation>E-Mails an die Quelladresse gehen an die Zieladresse. Eine Benutzerzuordnung hat Vorrang vor der Domänenzuordnung ihrer Domäne.</translation>
        </message>
        <message>
            <source>Mail sent by the source address leaves with the target address as sender. A user mapping wins over the domain mapping of its domain.</source>
            <translation>E-Mails von der Quelladresse werden mit der Zieladresse als Absender versendet. Eine Benutzerzuordnung hat Vorrang vor der Domänenzuordnung ihrer Domäne.</translation>
        </message>
        <message>
            <source>bob@warmsushi.com</source>
            <translation>bob@warmsushi.com</translation>
        </message>
        <message>
            <source>bob.owen@drypizza.com</source>
            <translation>bob.owen@drypizza.com</translation>
        </message>
        <message>
            <source>&amp;Original Email Domain:</source>
            <translation>&amp;Ursprüngliche E-Mail-Domäne:</translation>
        </message>
        <message>
            <source>&amp;Source:</source>
            <translation>&amp;Quelle:</translation>
        </message>
        <message>
            <source>&amp;Redirected Email Domain:</source>
            <translation>Umge&amp;leitete E-Mail-Domäne:</translation>
        </message>
        <message>
            <source>&amp;Target:</source>
            <translation>&amp;Ziel:</translation>
        </message>
        <message>
            <source>Not a valid domain: %1.</source>
            <translation>Keine gültige Domäne: %1.</translation>
        </message>
        <message>
            <source>Not a valid address: %1.</source>
            <translation>Keine gültige Adresse: %1.</translation>
        </message>
        <message>
            <source>%1 already has a domain mapping in %2. Edit that row instead.</source>
            <translation>%1 hat bereits eine Domänenzuordnung in %2. Bearbeiten Sie stattdessen diese Zeile.</translation>
        </message>
        <message>
            <source>%1 already has a user mapping in %2. Edit that row instead.</source>
            <translation>%1 hat bereits eine Benutzerzuordnung in %2. Bearbeiten Sie stattdessen diese Zeile.</translation>
        </message>
        <message>
            <source>The target must differ from the source.</source>
            <translation>Das Ziel muss sich von der Quelle unterscheiden.</translation>
        </message>
        <message>
            <source>Mail to %1 will go to %2.</source>
            <translation>E-Mails an %1 gehen an %2.</translation>
        </message>
        <message>
            <source>Mail from %1 will leave as %2.</source>
            <translation>E-Mails von %1 werden als %2 versendet.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::MessageLogModel</name>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Queue ID</source>
            <translation>Warteschlangen-ID</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>Ereignis</translation>
        </message>
        <message>
            <source>From</source>
            <translation>Von</translation>
        </message>
        <message>
            <source>To</source>
            <translation>An</translation>
        </message>
        <message>
            <source>Rewritten to</source>
            <translation>Umgeschrieben zu</translation>
        </message>
        <message>
            <source>Next hop</source>
            <translation>Nächster Hop</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>Regel</translation>
        </message>
    </context>
    <context>
        <name>mailroute::OutboundInverses</name>
        <message numerus="yes">
            <source>Create %n Outbound inverse(s)</source>
            <translation>
                <numerusform>%n Outbound-Umkehrung erstellen</numerusform>
                <numerusform>%n Outbound-Umkehrungen erstellen</numerusform>
            </translation>
        </message>
        <message>
            <source>The Outbound inverses could not be created; the draft is unchanged: %1</source>
            <translation>Die Outbound-Umkehrungen konnten nicht erstellt werden; der Entwurf ist unverändert: %1</translation>
        </message>
        <message numerus="yes">
            <source>%n Outbound user mapping(s) created in the draft.</source>
            <translation>
                <numerusform>%n Outbound-Benutzerzuordnung im Entwurf erstellt.</numerusform>
                <numerusform>%n Outbound-Benutzerzuordnungen im Entwurf erstellt.</numerusform>
            </translation>
        </message>
        <message>
            <source>No Outbound inverse was missing.</source>
            <translation>Es fehlte keine Outbound-Umkehrung.</translation>
        </message>
        <message numerus="yes">
            <source>%n Inbound mapping(s) left as they are: an Outbound mapping of their target to another address exists; change or delete it on the Outbound page.</source>
            <translation>
                <numerusform>%n Inbound-Zuordnung unverändert gelassen: Für ihr Ziel gibt es eine Outbound-Zuordnung zu einer anderen Adresse; ändern oder löschen Sie diese auf der Outbound-Seite.</numerusform>
                <numerusform>%n Inbound-Zuordnungen unverändert gelassen: Für ihr Ziel gibt es eine Outbound-Zuordnung zu einer anderen Adresse; ändern oder löschen Sie diese auf der Outbound-Seite.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n shared target(s) left as they are: several Inbound users map to them, so replies can leave under only one of their addresses.</source>
            <translation>
                <numerusform>%n gemeinsames Ziel unverändert gelassen: Mehrere Inbound-Benutzer sind ihm zugeordnet, Antworten können also nur unter einer ihrer Adressen hinausgehen.</numerusform>
                <numerusform>%n gemeinsame Ziele unverändert gelassen: Mehrere Inbound-Benutzer sind ihnen zugeordnet, Antworten können also nur unter einer ihrer Adressen hinausgehen.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>mailroute::PostfixExportAction</name>
        <message>
            <source>Write the active generation as Postfix lookup tables, for several relays behind the MX records</source>
            <translation>Die aktive Generation als Postfix-Lookup-Tabellen schreiben, für mehrere Relays hinter den MX-Einträgen</translation>
        </message>
        <message>
            <source>Export to Postfix: choose a folder</source>
            <translation>Nach Postfix exportieren: Ordner wählen</translation>
        </message>
        <message numerus="yes">
            <source>%n warning(s): see the details.</source>
            <translation>
                <numerusform>%n Warnung: siehe Details.</numerusform>
                <numerusform>%n Warnungen: siehe Details.</numerusform>
            </translation>
        </message>
        <message>
            <source>Nothing was exported: %1</source>
            <translation>Nichts wurde exportiert: %1</translation>
        </message>
        <message>
            <source>Export to Postfix</source>
            <translation>Nach Postfix exportieren</translation>
        </message>
        <message>
            <source>Generation %1 exported to %2: %3 recipient and %4 sender entries.

On each Postfix relay: run postmap.sh, add main.cf.fragment to main.cf and master.cf.fragment to master.cf, then "postfix reload". Export again after every push.</source>
            <translation>Generation %1 nach %2 exportiert: %3 Empfänger- und %4 Absendereinträge.

Auf jedem Postfix-Relay: postmap.sh ausführen, main.cf.fragment zu main.cf und master.cf.fragment zu master.cf hinzufügen, dann „postfix reload“. Nach jeder Veröffentlichung erneut exportieren.</translation>
        </message>
        <message>
            <source>E&amp;xport to Postfix…</source>
            <translation>Nach Postfix e&amp;xportieren…</translation>
        </message>
    </context>
    <context>
        <name>mailroute::PurgeAction</name>
        <message>
            <source>P&amp;urge Project Data…</source>
            <translation>&amp;Projektdaten bereinigen…</translation>
        </message>
        <message>
            <source>End of a project: delete the logs, the queue, the keys MailRoute generated and its keychain entries</source>
            <translation>Ende eines Projekts: Protokolle, Warteschlange, von MailRoute erzeugte Schlüssel und seine Schlüsselbund-Einträge löschen</translation>
        </message>
        <message>
            <source>Purge Project Data</source>
            <translation>Projektdaten bereinigen</translation>
        </message>
        <message>
            <source>Cannot read the database: %1</source>
            <translation>Die Datenbank kann nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>The relay is running on this database. Stop mail routing first (Relay ▸ Stop Mail Routing, or stop mailroutectl serve); nothing was deleted.</source>
            <translation>Das Relay läuft auf dieser Datenbank. Beenden Sie zuerst das Mail-Routing (Relay ▸ Mail-Routing beenden, oder beenden Sie mailroutectl serve); nichts wurde gelöscht.</translation>
        </message>
        <message>
            <source>%1 message log and %2 action log entries, %3 domain hold(s)</source>
            <translation>%1 Einträge im Nachrichtenprotokoll und %2 im Aktionsprotokoll, %3 zurückgehaltene Domäne(n)</translation>
        </message>
        <message numerus="yes">
            <source>the queue in %1 (%n message(s))</source>
            <translation>
                <numerusform>die Warteschlange in %1 (%n Nachricht)</numerusform>
                <numerusform>die Warteschlange in %1 (%n Nachrichten)</numerusform>
            </translation>
        </message>
        <message>
            <source>the key or certificate file %1</source>
            <translation>die Schlüssel- oder Zertifikatsdatei %1</translation>
        </message>
        <message>
            <source>the smart host password and the TLS key passphrase of this database in the keychain</source>
            <translation>das Smarthost-Passwort und die Passphrase des TLS-Schlüssels dieser Datenbank im Schlüsselbund</translation>
        </message>
        <message>
            <source>Delete everything MailRoute kept about this project's mail?</source>
            <translation>Alles löschen, was MailRoute über die Mail dieses Projekts aufbewahrt hat?</translation>
        </message>
        <message>
            <source>This deletes, for good:</source>
            <translation>Dies löscht endgültig:</translation>
        </message>
        <message>
            <source>Domain and user mappings, settings and pushed generations stay; delete the database file to remove them too.</source>
            <translation>Domänen- und Benutzerzuordnungen, Einstellungen und veröffentlichte Generationen bleiben; löschen Sie die Datenbankdatei, um auch sie zu entfernen.</translation>
        </message>
        <message>
            <source>Purge</source>
            <translation>Bereinigen</translation>
        </message>
        <message>
            <source>the relay is running</source>
            <translation>das Relay läuft</translation>
        </message>
        <message>
            <source>The project's logs, queue, generated keys and keychain entries are deleted.</source>
            <translation>Protokolle, Warteschlange, erzeugte Schlüssel und Schlüsselbund-Einträge des Projekts sind gelöscht.</translation>
        </message>
        <message>
            <source>The purge is incomplete: %1</source>
            <translation>Die Bereinigung ist unvollständig: %1</translation>
        </message>
    </context>
    <context>
        <name>mailroute::PushDialog</name>
        <message>
            <source>%1 domain(s) added</source>
            <translation>%1 Domäne(n) hinzugefügt</translation>
        </message>
        <message>
            <source>%1 domain(s) changed</source>
            <translation>%1 Domäne(n) geändert</translation>
        </message>
        <message>
            <source>%1 domain(s) removed</source>
            <translation>%1 Domäne(n) entfernt</translation>
        </message>
        <message>
            <source>%1 user(s) added</source>
            <translation>%1 Benutzer hinzugefügt</translation>
        </message>
        <message>
            <source>%1 user(s) changed</source>
            <translation>%1 Benutzer geändert</translation>
        </message>
        <message>
            <source>%1 user(s) removed</source>
            <translation>%1 Benutzer entfernt</translation>
        </message>
        <message>
            <source>Warnings</source>
            <translation>Warnungen</translation>
        </message>
        <message>
            <source>&amp;Push</source>
            <translation>&amp;Veröffentlichen</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Push configuration</source>
            <translation>Konfiguration veröffentlichen</translation>
        </message>
        <message>
            <source>No differences.</source>
            <translation>Keine Unterschiede.</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <source>Comparing the draft with the active configuration…</source>
            <translation>Der Entwurf wird mit der aktiven Konfiguration verglichen…</translation>
        </message>
        <message>
            <source>Pushing…</source>
            <translation>Wird veröffentlicht…</translation>
        </message>
        <message numerus="yes">
            <source>Settings: %n changed</source>
            <translation>
                <numerusform>Einstellungen: %n geändert</numerusform>
                <numerusform>Einstellungen: %n geändert</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Routes: %n changed</source>
            <translation>
                <numerusform>Routen: %n geändert</numerusform>
                <numerusform>Routen: %n geändert</numerusform>
            </translation>
        </message>
        <message>
            <source>… and %1 more change(s)</source>
            <translation>… und %1 weitere Änderung(en)</translation>
        </message>
        <message>
            <source>Nothing to push: the draft equals the active generation %1.</source>
            <translation>Nichts zu veröffentlichen: Der Entwurf entspricht der aktiven Generation %1.</translation>
        </message>
        <message>
            <source>Nothing to push yet: the draft is empty. Create mappings first.</source>
            <translation>Noch nichts zu veröffentlichen: Der Entwurf ist leer. Erstellen Sie zuerst Zuordnungen.</translation>
        </message>
        <message numerus="yes">
            <source>Push %n change(s) as generation %1? It replaces generation %2 in the relay without dropping connections.</source>
            <translation>
                <numerusform>%n Änderung als Generation %1 veröffentlichen? Sie ersetzt Generation %2 im Relay, ohne Verbindungen zu trennen.</numerusform>
                <numerusform>%n Änderungen als Generation %1 veröffentlichen? Sie ersetzt Generation %2 im Relay, ohne Verbindungen zu trennen.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Push %n change(s) as the first generation?</source>
            <translation>
                <numerusform>%n Änderung als erste Generation veröffentlichen?</numerusform>
                <numerusform>%n Änderungen als erste Generation veröffentlichen?</numerusform>
            </translation>
        </message>
        <message>
            <source>The push failed; the relay keeps its configuration: %1</source>
            <translation>Die Veröffentlichung ist fehlgeschlagen; das Relay behält seine Konfiguration: %1</translation>
        </message>
        <message numerus="yes">
            <source>Looking up the DNS records of %n pending DKIM key(s)…</source>
            <translation>
                <numerusform>Suche den DNS-Eintrag von %n wartenden DKIM-Schlüssel…</numerusform>
                <numerusform>Suche die DNS-Einträge von %n wartenden DKIM-Schlüsseln…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>DKIM keys: %n changed</source>
            <translation>
                <numerusform>DKIM-Schlüssel: %n geändert</numerusform>
                <numerusform>DKIM-Schlüssel: %n geändert</numerusform>
            </translation>
        </message>
        <message>
            <source>Changes since the last push</source>
            <translation>Änderungen seit der letzten Veröffentlichung</translation>
        </message>
        <message>
            <source>Create the Outbound inverse</source>
            <translation>Outbound-Umkehrung erstellen</translation>
        </message>
        <message>
            <source>Adds to the draft's Outbound user list the inverse of every Inbound user mapping that has none, so that replies leave under the original address. Undo with Edit ▸ Undo.</source>
            <translation>Fügt der Outbound-Benutzerliste des Entwurfs die Umkehrung jeder Inbound-Benutzerzuordnung hinzu, die keine hat, damit Antworten unter der ursprünglichen Adresse hinausgehen. Rückgängig mit Bearbeiten ▸ Rückgängig.</translation>
        </message>
        <message numerus="yes">
            <source>Create the Outbound inverse (%n)</source>
            <translation>
                <numerusform>Outbound-Umkehrung erstellen (%n)</numerusform>
                <numerusform>Outbound-Umkehrungen erstellen (%n)</numerusform>
            </translation>
        </message>
        <message>
            <source>Double-click or press Enter to create the missing Outbound inverses.</source>
            <translation>Doppelklicken oder Eingabetaste drücken, um die fehlenden Outbound-Umkehrungen zu erstellen.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::QueueModel</name>
        <message>
            <source>now</source>
            <translation>jetzt</translation>
        </message>
        <message>
            <source>Queue ID</source>
            <translation>Warteschlangen-ID</translation>
        </message>
        <message>
            <source>Arrived</source>
            <translation>Eingegangen</translation>
        </message>
        <message>
            <source>Sender</source>
            <translation>Absender</translation>
        </message>
        <message>
            <source>Recipients</source>
            <translation>Empfänger</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Versuche</translation>
        </message>
        <message>
            <source>Next attempt</source>
            <translation>Nächster Versuch</translation>
        </message>
        <message>
            <source>Last error</source>
            <translation>Letzter Fehler</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
    </context>
    <context>
        <name>mailroute::QueuePage</name>
        <message>
            <source>&amp;Retry Now</source>
            <translation>&amp;Jetzt wiederholen</translation>
        </message>
        <message>
            <source>&amp;Delete…</source>
            <translation>&amp;Löschen…</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Warteschlange</translation>
        </message>
        <message>
            <source>Messages the relay accepted and still has to deliver. Temporary failures are retried on the schedule of Settings ▸ Retry schedule, then bounced.</source>
            <translation>Nachrichten, die das Relay angenommen hat und noch zustellen muss. Vorübergehende Fehler werden nach Einstellungen ▸ Wiederholungszeitplan wiederholt und dann als unzustellbar zurückgesendet.</translation>
        </message>
        <message>
            <source>The queue is empty.
Messages waiting for a retry (a next hop that answered 4xx or could not be reached) show up here, with the reason.</source>
            <translation>Die Warteschlange ist leer.
Nachrichten, die auf eine Wiederholung warten (ein nächster Hop hat mit 4xx geantwortet oder war nicht erreichbar), erscheinen hier mit dem Grund.</translation>
        </message>
        <message>
            <source>Deliver the selected messages (all, if none is selected) as soon as possible</source>
            <translation>Die ausgewählten Nachrichten (alle, wenn keine ausgewählt ist) so bald wie möglich zustellen</translation>
        </message>
        <message>
            <source>Drop the selected messages without a bounce</source>
            <translation>Die ausgewählten Nachrichten ohne Unzustellbarkeitsbericht verwerfen</translation>
        </message>
        <message>
            <source>Re&amp;fresh</source>
            <translation>A&amp;ktualisieren</translation>
        </message>
        <message>
            <source>Cannot open the spool in %1: %2</source>
            <translation>Der Spool in %1 kann nicht geöffnet werden: %2</translation>
        </message>
        <message>
            <source>No spool yet in %1.</source>
            <translation>Noch kein Spool in %1.</translation>
        </message>
        <message>
            <source>Cannot read the queue: %1</source>
            <translation>Die Warteschlange kann nicht gelesen werden: %1</translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) waiting</source>
            <translation>
                <numerusform>%n Nachricht wartet</numerusform>
                <numerusform>%n Nachrichten warten</numerusform>
            </translation>
        </message>
        <message>
            <source>the relay is running</source>
            <translation>das Relay läuft</translation>
        </message>
        <message>
            <source>the relay is stopped</source>
            <translation>das Relay ist angehalten</translation>
        </message>
        <message>
            <source>Retry requested: the relay tries again within a second.</source>
            <translation>Wiederholung angefordert: Das Relay versucht es innerhalb einer Sekunde erneut.</translation>
        </message>
        <message>
            <source>Marked for delivery at once when the relay runs next.</source>
            <translation>Zur sofortigen Zustellung beim nächsten Start des Relays vorgemerkt.</translation>
        </message>
        <message>
            <source>Select the messages to delete first.</source>
            <translation>Wählen Sie zuerst die zu löschenden Nachrichten aus.</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Löschen</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n queued message(s)?</source>
            <translation>
                <numerusform>%n Nachricht aus der Warteschlange löschen?</numerusform>
                <numerusform>%n Nachrichten aus der Warteschlange löschen?</numerusform>
            </translation>
        </message>
        <message>
            <source>They are dropped without a bounce to the sender, and their content is erased.</source>
            <translation>Sie werden ohne Unzustellbarkeitsbericht an den Absender verworfen, und ihr Inhalt wird gelöscht.</translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) deleted.</source>
            <translation>
                <numerusform>%n Nachricht gelöscht.</numerusform>
                <numerusform>%n Nachrichten gelöscht.</numerusform>
            </translation>
        </message>
        <message>
            <source>Held domains</source>
            <translation>Zurückgehaltene Domänen</translation>
        </message>
        <message>
            <source>Domain</source>
            <translation>Domäne</translation>
        </message>
        <message>
            <source>Held since</source>
            <translation>Zurückgehalten seit</translation>
        </message>
        <message>
            <source>Until</source>
            <translation>Bis</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>Wartend</translation>
        </message>
        <message>
            <source>No domain is on hold. Hold one while a tenant re-verifies it: its mail waits in the queue until you release it.</source>
            <translation>Keine Domäne wird zurückgehalten. Halten Sie eine zurück, während ein Tenant sie erneut verifiziert: Ihre Mail wartet in der Warteschlange, bis Sie sie freigeben.</translation>
        </message>
        <message>
            <source>&amp;Hold…</source>
            <translation>&amp;Zurückhalten…</translation>
        </message>
        <message>
            <source>Hold the mail for a domain: queued, neither attempted nor bounced until released</source>
            <translation>Die Mail einer Domäne zurückhalten: in der Warteschlange, weder zugestellt noch zurückgewiesen bis zur Freigabe</translation>
        </message>
        <message>
            <source>Re&amp;lease</source>
            <translation>&amp;Freigeben</translation>
        </message>
        <message>
            <source>Release the selected domain: its mail is attempted at once</source>
            <translation>Die ausgewählte Domäne freigeben: ihre Mail wird sofort zugestellt</translation>
        </message>
        <message>
            <source>until released</source>
            <translation>bis zur Freigabe</translation>
        </message>
        <message>
            <source>Cannot hold %1: %2</source>
            <translation>%1 kann nicht zurückgehalten werden: %2</translation>
        </message>
        <message>
            <source>@%1 is on hold: its mail waits in the queue until you release it.</source>
            <translation>@%1 wird zurückgehalten: ihre Mail wartet in der Warteschlange, bis Sie sie freigeben.</translation>
        </message>
        <message>
            <source>Select the domain to release first.</source>
            <translation>Wählen Sie zuerst die freizugebende Domäne aus.</translation>
        </message>
        <message>
            <source>Cannot release %1: %2</source>
            <translation>%1 kann nicht freigegeben werden: %2</translation>
        </message>
        <message>
            <source>@%1 is released: its mail is attempted now.</source>
            <translation>@%1 ist freigegeben: ihre Mail wird jetzt zugestellt.</translation>
        </message>
        <message>
            <source>Cannot read the domain holds: %1</source>
            <translation>Die zurückgehaltenen Domänen können nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>the database cannot be opened</source>
            <translation>die Datenbank kann nicht geöffnet werden</translation>
        </message>
        <message>
            <source>Queued messages</source>
            <translation>Nachrichten in der Warteschlange</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ReadinessPage</name>
        <message>
            <source>Record</source>
            <translation>Eintrag</translation>
        </message>
        <message>
            <source>Copies the record to publish at %1:
%2</source>
            <translation>Kopiert den unter %1 zu veröffentlichenden Eintrag:
%2</translation>
        </message>
        <message>
            <source>Record to publish at %1:</source>
            <translation>Unter %1 zu veröffentlichender Eintrag:</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Warnung</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <source>Readiness</source>
            <translation>Bereitschaft</translation>
        </message>
        <message>
            <source>DNS: MX, SPF, DKIM and DMARC</source>
            <translation>DNS: MX, SPF, DKIM und DMARC</translation>
        </message>
        <message>
            <source>Connector test</source>
            <translation>Connector-Test</translation>
        </message>
        <message>
            <source>Remote-side instructions</source>
            <translation>Anleitung für die Gegenseite</translation>
        </message>
        <message>
            <source>Looks up the MX records of the domains whose mail the relay receives (Relay and Inbound); for the domains whose mail it sends (Outbound targets) their SPF, DKIM and DMARC records and whether mail rewritten to them passes DMARC; and says what to change before the cut-over.</source>
            <translation>Fragt die MX-Einträge der Domains ab, deren Mail das Relay empfängt (Relay und Inbound); für die Domains, deren Mail es versendet (Outbound-Ziele), ihre SPF-, DKIM- und DMARC-Einträge und ob auf sie umgeschriebene Mail DMARC besteht; und sagt, was vor der Umstellung zu ändern ist.</translation>
        </message>
        <message>
            <source>Domains to check, separated by spaces (empty: those of the pushed configuration)</source>
            <translation>Zu prüfende Domänen, durch Leerzeichen getrennt (leer: die der veröffentlichten Konfiguration)</translation>
        </message>
        <message>
            <source>Check DNS</source>
            <translation>DNS prüfen</translation>
        </message>
        <message>
            <source>Not checked yet.</source>
            <translation>Noch nicht geprüft.</translation>
        </message>
        <message>
            <source>Domain</source>
            <translation>Domäne</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>Prüfung</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>SPF record to publish:</source>
            <translation>Zu veröffentlichender SPF-Eintrag:</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Talks to a next hop the way the relay does: connect, banner, EHLO, STARTTLS and the TLS handshake — or sends a real test message through it.</source>
            <translation>Spricht mit einem nächsten Hop wie das Relay: Verbindung, Banner, EHLO, STARTTLS und TLS-Handshake — oder sendet eine echte Testnachricht darüber.</translation>
        </message>
        <message>
            <source>host[:port], e.g. smtp.example.com:587</source>
            <translation>Host[:Port], z. B. smtp.example.com:587</translation>
        </message>
        <message>
            <source>Next hop:</source>
            <translation>Nächster Hop:</translation>
        </message>
        <message>
            <source>you@example.com</source>
            <translation>sie@example.com</translation>
        </message>
        <message>
            <source>Test recipient:</source>
            <translation>Testempfänger:</translation>
        </message>
        <message>
            <source>Check connectivity</source>
            <translation>Konnektivität prüfen</translation>
        </message>
        <message>
            <source>Send test email</source>
            <translation>Test-E-Mail senden</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>Aufgabe</translation>
        </message>
        <message>
            <source>Reply</source>
            <translation>Antwort</translation>
        </message>
        <message>
            <source>This relay: &lt;b&gt;%1&lt;/b&gt;, port %2, STARTTLS %3.</source>
            <translation>Dieses Relay: &lt;b&gt;%1&lt;/b&gt;, Port %2, STARTTLS %3.</translation>
        </message>
        <message>
            <source>offered</source>
            <translation>angeboten</translation>
        </message>
        <message>
            <source>not offered (no certificate)</source>
            <translation>nicht angeboten (kein Zertifikat)</translation>
        </message>
        <message>
            <source>Public address: %1.</source>
            <translation>Öffentliche Adresse: %1.</translation>
        </message>
        <message>
            <source>Checks the pushed generation %1.</source>
            <translation>Prüft die veröffentlichte Generation %1.</translation>
        </message>
        <message>
            <source>Nothing is pushed yet: checks the draft.</source>
            <translation>Noch nichts veröffentlicht: prüft den Entwurf.</translation>
        </message>
        <message>
            <source>No domains to check: create domain mappings and push, or type the domains above.</source>
            <translation>Keine Domänen zu prüfen: Erstellen Sie Domänenzuordnungen und veröffentlichen Sie, oder geben Sie die Domänen oben ein.</translation>
        </message>
        <message numerus="yes">
            <source>Looking up %n domain(s)…</source>
            <translation>
                <numerusform>%n Domäne wird abgefragt…</numerusform>
                <numerusform>%n Domänen werden abgefragt…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n domain(s) checked: </source>
            <translation>
                <numerusform>%n Domäne geprüft: </numerusform>
                <numerusform>%n Domänen geprüft: </numerusform>
            </translation>
        </message>
        <message>
            <source>%1 ready, %2 with warnings, %3 failing.</source>
            <translation>%1 bereit, %2 mit Warnungen, %3 fehlerhaft.</translation>
        </message>
        <message>
            <source>Fix the failing checks before you point mail at the relay; each says what to do.</source>
            <translation>Beheben Sie die fehlgeschlagenen Prüfungen, bevor Sie E-Mails auf das Relay leiten; jede sagt, was zu tun ist.</translation>
        </message>
        <message>
            <source>Read the warnings before the cut-over.</source>
            <translation>Lesen Sie die Warnungen vor der Umstellung.</translation>
        </message>
        <message>
            <source>DNS is ready for the cut-over.</source>
            <translation>DNS ist bereit für die Umstellung.</translation>
        </message>
        <message>
            <source>SPF record to publish for %1:</source>
            <translation>Zu veröffentlichender SPF-Eintrag für %1:</translation>
        </message>
        <message>
            <source>Select a domain whose SPF record needs a change.</source>
            <translation>Wählen Sie eine Domäne, deren SPF-Eintrag geändert werden muss.</translation>
        </message>
        <message>
            <source>Choose or type a next hop first (host[:port]).</source>
            <translation>Wählen Sie zuerst einen nächsten Hop oder geben Sie ihn ein (Host[:Port]).</translation>
        </message>
        <message>
            <source>Sending a test message through %1…</source>
            <translation>Testnachricht wird über %1 gesendet…</translation>
        </message>
        <message>
            <source>Talking to %1…</source>
            <translation>Verbindung mit %1…</translation>
        </message>
        <message>
            <source>%1 works.</source>
            <translation>%1 funktioniert.</translation>
        </message>
        <message>
            <source>%1 works, with warnings: see the table.</source>
            <translation>%1 funktioniert, mit Warnungen: siehe Tabelle.</translation>
        </message>
        <message>
            <source>%1 failed: see the table for the server's replies.</source>
            <translation>%1 ist fehlgeschlagen: Die Antworten des Servers stehen in der Tabelle.</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>%1 of %2 DNS look-ups answered</source>
            <translation>%1 von %2 DNS-Abfragen beantwortet</translation>
        </message>
        <message>
            <source>DNS check cancelled; nothing was assessed.</source>
            <translation>DNS-Prüfung abgebrochen; nichts wurde bewertet.</translation>
        </message>
        <message>
            <source>Domains to check</source>
            <translation>Zu prüfende Domänen</translation>
        </message>
        <message>
            <source>Separated by spaces; empty checks the domains of the pushed configuration.</source>
            <translation>Durch Leerzeichen getrennt; leer prüft die Domänen der veröffentlichten Konfiguration.</translation>
        </message>
        <message>
            <source>DNS findings</source>
            <translation>DNS-Befunde</translation>
        </message>
        <message>
            <source>SPF record to publish</source>
            <translation>Zu veröffentlichender SPF-Eintrag</translation>
        </message>
        <message>
            <source>Copy the SPF record</source>
            <translation>SPF-Eintrag kopieren</translation>
        </message>
        <message>
            <source>Connector test steps</source>
            <translation>Schritte des Connector-Tests</translation>
        </message>
        <message>
            <source>Copy the record for %1</source>
            <translation>Eintrag für %1 kopieren</translation>
        </message>
        <message>
            <source>Recipient verification</source>
            <translation>Empfängerprüfung</translation>
        </message>
    </context>
    <context>
        <name>mailroute::RelayRunner</name>
        <message>
            <source>A relay (mailroutectl serve) already runs on this database; it uses every push. Stop it first to run the relay here.</source>
            <translation>Ein Relay (mailroutectl serve) läuft bereits auf dieser Datenbank; es übernimmt jede Veröffentlichung. Halten Sie es zuerst an, um das Relay hier auszuführen.</translation>
        </message>
        <message>
            <source>The relay is already running.</source>
            <translation>Das Relay läuft bereits.</translation>
        </message>
        <message>
            <source>There is no pushed configuration to run.</source>
            <translation>Es gibt keine veröffentlichte Konfiguration zum Ausführen.</translation>
        </message>
        <message>
            <source>generation %1 is not used, the relay keeps its configuration: %2</source>
            <translation>Generation %1 wird nicht verwendet, das Relay behält seine Konfiguration: %2</translation>
        </message>
        <message>
            <source>wave %1: %2</source>
            <translation>Welle %1: %2</translation>
        </message>
    </context>
    <context>
        <name>mailroute::RemoteInstructions</name>
        <message>
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Copy "%1" to the clipboard</source>
            <translation>„%1“ in die Zwischenablage kopieren</translation>
        </message>
        <message>
            <source>(set relay.hostname)</source>
            <translation>(relay.hostname festlegen)</translation>
        </message>
        <message>
            <source>(unknown: run the DNS check or set relay.public_address)</source>
            <translation>(unbekannt: DNS-Prüfung ausführen oder relay.public_address festlegen)</translation>
        </message>
        <message>
            <source>&lt;p&gt;&lt;b&gt;Note:&lt;/b&gt; the relay listens on port %1, but Google Workspace, Exchange Online and other mail servers connect on port 25. Set relay.listen to port 25 (or forward port 25 to %1) before the cut-over.&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;Hinweis:&lt;/b&gt; Das Relay lauscht auf Port %1, aber Google Workspace, Exchange Online und andere Mailserver verbinden sich auf Port 25. Stellen Sie relay.listen vor der Umstellung auf Port 25 (oder leiten Sie Port 25 an %1 weiter).&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Mail server (MX target)</source>
            <translation>Mailserver (MX-Ziel)</translation>
        </message>
        <message>
            <source>MX record for %1</source>
            <translation>MX-Eintrag für %1</translation>
        </message>
        <message>
            <source>MX record</source>
            <translation>MX-Eintrag</translation>
        </message>
        <message>
            <source>the TTL of the current MX records (run the DNS check to see it)</source>
            <translation>die TTL der aktuellen MX-Einträge (DNS-Prüfung ausführen, um sie zu sehen)</translation>
        </message>
        <message>
            <source>At your DNS provider, lower the TTL of the domain's MX records to 300 seconds a day ahead. Then wait at least %1 — the current TTL — so that no resolver still holds the old, long-lived answer.</source>
            <translation>Senken Sie bei Ihrem DNS-Anbieter die TTL der MX-Einträge der Domäne einen Tag vorher auf 300 Sekunden. Warten Sie dann mindestens %1 — die aktuelle TTL —, damit kein Resolver die alte, langlebige Antwort mehr hält.</translation>
        </message>
        <message>
            <source>Push the configuration and activate the relay (Settings &amp; Activation). Check that %1 answers on port %2 from outside (Connector test).</source>
            <translation>Veröffentlichen Sie die Konfiguration und aktivieren Sie das Relay (Einstellungen und Aktivierung). Prüfen Sie, ob %1 von außen auf Port %2 antwortet (Connector-Test).</translation>
        </message>
        <message>
            <source>Replace the MX records with one record: preference 10, mail server %1 (the records below, ready to paste into a zone file).</source>
            <translation>Ersetzen Sie die MX-Einträge durch einen einzigen Eintrag: Priorität 10, Mailserver %1 (die Einträge unten, bereit zum Einfügen in eine Zonendatei).</translation>
        </message>
        <message>
            <source>Watch the Inbound and Relay logs: mail arrives through the relay as soon as senders' resolvers see the new record — for up to %1 after the change some mail still goes to the old servers, so keep them running that long.</source>
            <translation>Beobachten Sie die Inbound- und Relay-Protokolle: E-Mails kommen über das Relay, sobald die Resolver der Absender den neuen Eintrag sehen — bis zu %1 nach der Änderung gehen noch manche E-Mails an die alten Server; lassen Sie diese so lange laufen.</translation>
        </message>
        <message>
            <source>When the cut-over is done, raise the TTL again (for example 3600 s).</source>
            <translation>Erhöhen Sie nach der Umstellung die TTL wieder (zum Beispiel 3600 s).</translation>
        </message>
        <message>
            <source>MX change</source>
            <translation>MX-Änderung</translation>
        </message>
        <message>
            <source>Tick %1: the relay offers STARTTLS.</source>
            <translation>Aktivieren Sie %1: Das Relay bietet STARTTLS an.</translation>
        </message>
        <message>
            <source>Require TLS for connections to the outbound gateway</source>
            <translation>TLS für Verbindungen zum ausgehenden Gateway erforderlich</translation>
        </message>
        <message>
            <source>Leave %1 unticked: the relay has no certificate yet (Settings ▸ TLS); mail to the relay would fail.</source>
            <translation>Lassen Sie %1 deaktiviert: Das Relay hat noch kein Zertifikat (Einstellungen ▸ TLS); E-Mails an das Relay würden fehlschlagen.</translation>
        </message>
        <message>
            <source>Sign in to the Google Admin console as a super administrator.</source>
            <translation>Melden Sie sich als Super Admin in der Google Admin-Konsole an.</translation>
        </message>
        <message>
            <source>Go to %1.</source>
            <translation>Öffnen Sie %1.</translation>
        </message>
        <message>
            <source>Apps ▸ Google Workspace ▸ Gmail ▸ Routing</source>
            <translation>Apps ▸ Google Workspace ▸ Gmail ▸ Routing</translation>
        </message>
        <message>
            <source>Under %1, enter the relay's host name %2 (or its address %3).</source>
            <translation>Geben Sie unter %1 den Hostnamen des Relays %2 (oder seine Adresse %3) ein.</translation>
        </message>
        <message>
            <source>Outbound gateway</source>
            <translation>Ausgehendes Gateway</translation>
        </message>
        <message>
            <source>Click %1. Changes can take up to an hour to reach every Gmail server.</source>
            <translation>Klicken Sie auf %1. Es kann bis zu einer Stunde dauern, bis Änderungen alle Gmail-Server erreichen.</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>Allow Google's sending servers to relay: add Google's outbound ranges (from %1) to outbound.allowed_clients under Settings &amp; Activation (now: %2).</source>
            <translation>Erlauben Sie den sendenden Servern von Google das Relaying: Fügen Sie die ausgehenden Adressbereiche von Google (aus %1) unter Einstellungen und Aktivierung zu outbound.allowed_clients hinzu (derzeit: %2).</translation>
        </message>
        <message>
            <source>empty</source>
            <translation>leer</translation>
        </message>
        <message>
            <source>Send a message from a Workspace mailbox to an outside address and watch the Outbound log.</source>
            <translation>Senden Sie eine Nachricht aus einem Workspace-Postfach an eine externe Adresse und beobachten Sie das Outbound-Protokoll.</translation>
        </message>
        <message>
            <source>Relay address</source>
            <translation>Adresse des Relays</translation>
        </message>
        <message>
            <source>Google Workspace</source>
            <translation>Google Workspace</translation>
        </message>
        <message>
            <source>Security: tick %1 and choose %2 (or, with a self-signed certificate, %3).</source>
            <translation>Sicherheit: Aktivieren Sie %1 und wählen Sie %2 (oder, mit einem selbstsignierten Zertifikat, %3).</translation>
        </message>
        <message>
            <source>Always use Transport Layer Security (TLS) to secure the connection (recommended)</source>
            <translation>Zum Sichern der Verbindung immer Transport Layer Security (TLS) verwenden (empfohlen)</translation>
        </message>
        <message>
            <source>Issued by a trusted certificate authority (CA)</source>
            <translation>Von einer vertrauenswürdigen Zertifizierungsstelle (CA) ausgestellt</translation>
        </message>
        <message>
            <source>Any digital certificate, including self-signed certificates</source>
            <translation>Beliebiges digitales Zertifikat, einschließlich selbstsignierter Zertifikate</translation>
        </message>
        <message>
            <source>Security: untick %1 — the relay has no certificate yet (Settings ▸ TLS). Once it has one, come back and require TLS.</source>
            <translation>Sicherheit: Deaktivieren Sie %1 — das Relay hat noch kein Zertifikat (Einstellungen ▸ TLS). Sobald es eines hat, kehren Sie zurück und verlangen TLS.</translation>
        </message>
        <message>
            <source>Open the Exchange admin center and go to %1.</source>
            <translation>Öffnen Sie das Exchange Admin Center und wechseln Sie zu %1.</translation>
        </message>
        <message>
            <source>Mail flow ▸ Connectors</source>
            <translation>Nachrichtenfluss ▸ Connectors</translation>
        </message>
        <message>
            <source>Click %1. Connection from: %2; connection to: %3.</source>
            <translation>Klicken Sie auf %1. Verbindung von: %2; Verbindung mit: %3.</translation>
        </message>
        <message>
            <source>Add a connector</source>
            <translation>Connector hinzufügen</translation>
        </message>
        <message>
            <source>Office 365</source>
            <translation>Office 365</translation>
        </message>
        <message>
            <source>Partner organization</source>
            <translation>Partnerorganisation</translation>
        </message>
        <message>
            <source>Name it, for example %1, and leave it turned on.</source>
            <translation>Benennen Sie ihn, zum Beispiel %1, und lassen Sie ihn aktiviert.</translation>
        </message>
        <message>
            <source>MailRoute relay</source>
            <translation>MailRoute-Relay</translation>
        </message>
        <message>
            <source>Use of connector: %1 (or only for the domains that move).</source>
            <translation>Verwendung des Connectors: %1 (oder nur für die Domänen, die umziehen).</translation>
        </message>
        <message>
            <source>Only when I have a transport rule set up that redirects messages to this connector</source>
            <translation>Nur wenn eine Transportregel eingerichtet ist, die Nachrichten an diesen Connector umleitet</translation>
        </message>
        <message>
            <source>Routing: %1 and add the smart host %2.</source>
            <translation>Routing: %1 und fügen Sie den Smarthost %2 hinzu.</translation>
        </message>
        <message>
            <source>Route email through these smart hosts</source>
            <translation>E-Mails über diese Smarthosts weiterleiten</translation>
        </message>
        <message>
            <source>Validate the connector with an outside address, then save. Exchange Online connects to the smart host on port 25.</source>
            <translation>Überprüfen Sie den Connector mit einer externen Adresse und speichern Sie dann. Exchange Online verbindet sich auf Port 25 mit dem Smarthost.</translation>
        </message>
        <message>
            <source>Allow Exchange Online to relay: add Microsoft's outbound ranges (%1) to outbound.allowed_clients (now: %2).</source>
            <translation>Erlauben Sie Exchange Online das Relaying: Fügen Sie die ausgehenden Adressbereiche von Microsoft (%1) zu outbound.allowed_clients hinzu (derzeit: %2).</translation>
        </message>
        <message>
            <source>Smart host</source>
            <translation>Smarthost</translation>
        </message>
        <message>
            <source>Exchange Online / Office 365</source>
            <translation>Exchange Online / Office 365</translation>
        </message>
        <message>
            <source>TXT for %1</source>
            <translation>TXT für %1</translation>
        </message>
        <message>
            <source>Mechanism to add</source>
            <translation>Hinzuzufügender Mechanismus</translation>
        </message>
        <message>
            <source>The relay sends outbound mail from %1. Receivers check the sender domain's SPF record against that address.</source>
            <translation>Das Relay sendet ausgehende E-Mails von %1. Empfänger prüfen den SPF-Eintrag der Absenderdomäne gegen diese Adresse.</translation>
        </message>
        <message>
            <source>At your DNS provider, edit the TXT record that starts with %1 of each sender domain (the Outbound target domains) and add the relay's address before the %2 term, keeping every existing mechanism — the records below are exactly that. A domain must have only one SPF record.</source>
            <translation>Bearbeiten Sie bei Ihrem DNS-Anbieter den TXT-Eintrag, der mit %1 beginnt, für jede Absenderdomäne (die Outbound-Zieldomänen) und fügen Sie die Adresse des Relays vor dem Term %2 ein; alle vorhandenen Mechanismen bleiben erhalten — die Einträge unten tun genau das. Eine Domäne darf nur einen SPF-Eintrag haben.</translation>
        </message>
        <message>
            <source>Run the DNS check again after the record's TTL: every domain should then show SPF OK.</source>
            <translation>Führen Sie die DNS-Prüfung nach Ablauf der TTL des Eintrags erneut aus: Jede Domäne sollte dann SPF OK zeigen.</translation>
        </message>
        <message>
            <source>SPF record</source>
            <translation>SPF-Eintrag</translation>
        </message>
        <message>
            <source>TXT name (%1)</source>
            <translation>TXT-Name (%1)</translation>
        </message>
        <message>
            <source>TXT value</source>
            <translation>TXT-Wert</translation>
        </message>
        <message>
            <source>Create a DKIM key for each Outbound target domain under Settings &amp; Activation ▸ Mail authentication (or %1). Its record then appears here.</source>
            <translation>Erzeugen Sie für jede Outbound-Zieldomain einen DKIM-Schlüssel unter Einstellungen und Aktivierung ▸ E-Mail-Authentifizierung (oder %1). Sein Eintrag erscheint dann hier.</translation>
        </message>
        <message>
            <source>Publish the DKIM record before pointing connectors at the relay: at your DNS provider, add a TXT record with each name and value below (a value longer than 255 characters is split into several strings by most providers on their own; %1 prints a zone-file line).</source>
            <translation>Veröffentlichen Sie den DKIM-Eintrag, bevor Sie Konnektoren auf das Relay richten: Legen Sie bei Ihrem DNS-Anbieter einen TXT-Eintrag mit jedem Namen und Wert unten an (einen Wert über 255 Zeichen teilen die meisten Anbieter selbst in mehrere Zeichenketten; %1 gibt eine Zonendatei-Zeile aus).</translation>
        </message>
        <message>
            <source>Wait until the record answers (%1), then push: an active key signs from the push; a pending key becomes active with the first push that finds its record.</source>
            <translation>Warten Sie, bis der Eintrag antwortet (%1), dann übertragen Sie: Ein aktiver Schlüssel signiert ab der Übertragung; ein wartender wird mit der ersten Übertragung aktiv, die seinen Eintrag findet.</translation>
        </message>
        <message>
            <source>Only then set up the Google Workspace gateway or the Exchange Online connector: receivers that enforce DMARC refuse mail whose signature they cannot verify.</source>
            <translation>Richten Sie erst dann das Google-Workspace-Gateway oder den Exchange-Online-Konnektor ein: Empfänger, die DMARC durchsetzen, lehnen E-Mail ab, deren Signatur sie nicht prüfen können.</translation>
        </message>
        <message>
            <source>DKIM records</source>
            <translation>DKIM-Einträge</translation>
        </message>
        <message>
            <source>Those ranges send for every Google Workspace customer, not only for you: the relay relays their mail to outside addresses only when the envelope sender's domain is one of yours. List your sending domains in %1 (empty: the domains your Outbound rules name); other senders reach only your Inbound and Relay addresses and get %2 for the rest.</source>
            <translation>Diese Bereiche senden für jeden Google-Workspace-Kunden, nicht nur für Sie: Das Relay leitet ihre Mail nur dann an externe Adressen weiter, wenn die Domäne des Umschlag-Absenders eine Ihrer Domänen ist. Tragen Sie Ihre Absenderdomänen in %1 ein (leer: die Domänen, die Ihre Outbound-Regeln nennen); andere Absender erreichen nur Ihre Inbound- und Relay-Adressen und erhalten für den Rest %2.</translation>
        </message>
        <message>
            <source>Those ranges are shared by every Exchange Online tenant: allowed on their own, any other tenant could relay through this relay. So the relay relays their mail to outside addresses only when the envelope sender's domain is one of yours: list your sending domains in %1 (empty: the domains your Outbound rules name). Other tenants still reach your Inbound and Relay addresses; anything else gets %2.</source>
            <translation>Diese Bereiche teilen sich alle Exchange-Online-Mandanten: Allein erlaubt, könnte jeder andere Mandant über dieses Relay weiterleiten. Deshalb leitet das Relay ihre Mail nur dann an externe Adressen weiter, wenn die Domäne des Umschlag-Absenders eine Ihrer Domänen ist: Tragen Sie Ihre Absenderdomänen in %1 ein (leer: die Domänen, die Ihre Outbound-Regeln nennen). Andere Mandanten erreichen weiterhin Ihre Inbound- und Relay-Adressen; alles andere erhält %2.</translation>
        </message>
        <message>
            <source>Copy %1</source>
            <translation>%1 kopieren</translation>
        </message>
        <message>
            <source>(set arc.domain)</source>
            <translation>(arc.domain festlegen)</translation>
        </message>
        <message>
            <source>First give the relay a sealing key: set %1 under Settings &amp; Activation (for example the relay's own domain) and create a DKIM key for it (%2); publish its record (DKIM records tab) and push. Until then the relay seals nothing.</source>
            <translation>Geben Sie dem Relay zuerst einen Versiegelungsschlüssel: Legen Sie %1 unter Einstellungen &amp; Aktivierung fest (zum Beispiel die eigene Domain des Relays) und erzeugen Sie dafür einen DKIM-Schlüssel (%2); veröffentlichen Sie seinen Eintrag (Reiter DKIM-Einträge) und übertragen Sie die Konfiguration. Bis dahin versiegelt das Relay nichts.</translation>
        </message>
        <message>
            <source>Exchange Online: connect with %1 and run the line below, which makes the relay's ARC seals (d=%2) trusted for your tenant.</source>
            <translation>Exchange Online: Verbinden Sie sich mit %1 und führen Sie die Zeile unten aus; sie macht die ARC-Siegel des Relays (d=%2) für Ihren Mandanten vertrauenswürdig.</translation>
        </message>
        <message>
            <source>Exchange Online, Enhanced Filtering for Connectors: in the Microsoft Defender portal go to %1, open the inbound connector that receives mail from the relay, choose %2 and add the relay's address %3 — or run the second line below. Exchange then judges the sender by the address before the relay.</source>
            <translation>Exchange Online, erweiterte Filterung für Connectors: Gehen Sie im Microsoft Defender-Portal zu %1, öffnen Sie den eingehenden Connector, der die Mails des Relays empfängt, wählen Sie %2 und fügen Sie die Adresse des Relays %3 hinzu — oder führen Sie die zweite Zeile unten aus. Exchange beurteilt den Absender dann nach der Adresse vor dem Relay.</translation>
        </message>
        <message>
            <source>Email &amp; collaboration ▸ Policies &amp; rules ▸ Threat policies ▸ Enhanced filtering</source>
            <translation>Email &amp; collaboration ▸ Policies &amp; rules ▸ Threat policies ▸ Enhanced filtering (E-Mail &amp; Zusammenarbeit ▸ Richtlinien &amp; Regeln ▸ Bedrohungsrichtlinien ▸ Erweiterte Filterung)</translation>
        </message>
        <message>
            <source>Skip these IP addresses that are associated with the connector</source>
            <translation>Diese dem Connector zugeordneten IP-Adressen überspringen (Skip these IP addresses that are associated with the connector)</translation>
        </message>
        <message>
            <source>Google Workspace: in the Admin console go to %1, turn on %2 and add the relay's address %3 to the gateway IPs; tick %4. Gmail then looks past the relay and trusts its ARC seal.</source>
            <translation>Google Workspace: Gehen Sie in der Admin-Konsole zu %1, schalten Sie %2 ein und fügen Sie die Adresse des Relays %3 zu den Gateway-IP-Adressen hinzu; setzen Sie das Häkchen bei %4. Gmail schaut dann hinter das Relay und vertraut seinem ARC-Siegel.</translation>
        </message>
        <message>
            <source>Apps ▸ Google Workspace ▸ Gmail ▸ Spam, phishing and malware ▸ Inbound gateway</source>
            <translation>Apps ▸ Google Workspace ▸ Gmail ▸ Spam, Phishing und Malware ▸ Eingehendes Gateway</translation>
        </message>
        <message>
            <source>Inbound gateway</source>
            <translation>Eingehendes Gateway</translation>
        </message>
        <message>
            <source>Automatically detect external IP (recommended)</source>
            <translation>Externe IP-Adresse automatisch erkennen (empfohlen)</translation>
        </message>
        <message>
            <source>Send a message from outside to a migrated mailbox and look at its headers in the target: %1 and %2 name the relay.</source>
            <translation>Senden Sie eine Nachricht von außen an ein migriertes Postfach und sehen Sie sich ihre Kopfzeilen im Ziel an: %1 und %2 nennen das Relay.</translation>
        </message>
        <message>
            <source>Exchange Online: ARC trusted sealer</source>
            <translation>Exchange Online: vertrauenswürdiger ARC-Versiegler</translation>
        </message>
        <message>
            <source>Exchange Online: skip the relay's address</source>
            <translation>Exchange Online: Adresse des Relays überspringen</translation>
        </message>
        <message>
            <source>Google Workspace: inbound gateway IPs</source>
            <translation>Google Workspace: IP-Adressen des eingehenden Gateways</translation>
        </message>
        <message>
            <source>ARC (inbound trust)</source>
            <translation>ARC (Vertrauen für eingehende Mails)</translation>
        </message>
    </context>
    <context>
        <name>mailroute::RollbackDialog</name>
        <message>
            <source>Restore an earlier generation</source>
            <translation>Eine frühere Generation wiederherstellen</translation>
        </message>
        <message>
            <source>Generation</source>
            <translation>Generation</translation>
        </message>
        <message>
            <source>Pushed</source>
            <translation>Veröffentlicht</translation>
        </message>
        <message>
            <source>Domain mappings</source>
            <translation>Domänenzuordnungen</translation>
        </message>
        <message>
            <source>User mappings</source>
            <translation>Benutzerzuordnungen</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>active</source>
            <translation>aktiv</translation>
        </message>
        <message>
            <source>There is no earlier generation to restore yet: every push keeps one.</source>
            <translation>Es gibt noch keine frühere Generation zum Wiederherstellen: Jede Veröffentlichung hinterlässt eine.</translation>
        </message>
        <message>
            <source>Pick the generation to make active again. The draft is replaced by its content, and the relay uses it at once.</source>
            <translation>Wählen Sie die Generation, die wieder aktiv werden soll. Der Entwurf wird durch ihren Inhalt ersetzt, und das Relay verwendet sie sofort.</translation>
        </message>
        <message>
            <source>&amp;Restore…</source>
            <translation>&amp;Wiederherstellen…</translation>
        </message>
        <message>
            <source>Restore generation %1</source>
            <translation>Generation %1 wiederherstellen</translation>
        </message>
        <message>
            <source>Make generation %1 active again?</source>
            <translation>Generation %1 wieder aktivieren?</translation>
        </message>
        <message>
            <source>The relay switches to it at once, and the draft is replaced by its content: unpushed changes are lost.</source>
            <translation>Das Relay wechselt sofort zu ihr, und der Entwurf wird durch ihren Inhalt ersetzt: Nicht veröffentlichte Änderungen gehen verloren.</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>Wiederherstellen</translation>
        </message>
        <message>
            <source>Restoring generation %1…</source>
            <translation>Generation %1 wird wiederhergestellt…</translation>
        </message>
        <message>
            <source>Not restored: %1</source>
            <translation>Nicht wiederhergestellt: %1</translation>
        </message>
        <message>
            <source>Generations</source>
            <translation>Generationen</translation>
        </message>
    </context>
    <context>
        <name>mailroute::SecretRow</name>
        <message>
            <source>Store in Keychain</source>
            <translation>Im Schlüsselbund speichern</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>type a new value to store it</source>
            <translation>neuen Wert eingeben, um ihn zu speichern</translation>
        </message>
        <message>
            <source>Stored in the keychain.</source>
            <translation>Im Schlüsselbund gespeichert.</translation>
        </message>
        <message>
            <source>Not stored.</source>
            <translation>Nicht gespeichert.</translation>
        </message>
        <message>
            <source>New value to store in the keychain</source>
            <translation>Neuer Wert für den Schlüsselbund</translation>
        </message>
    </context>
    <context>
        <name>mailroute::SettingsPage</name>
        <message>
            <source>Settings &amp; Activation</source>
            <translation>Einstellungen und Aktivierung</translation>
        </message>
        <message>
            <source>Listener</source>
            <translation>Listener</translation>
        </message>
        <message>
            <source>Where the relay accepts mail. Point MX records (inbound) or your mail systems' connectors (outbound) at this address.</source>
            <translation>Wo das Relay E-Mails annimmt. Richten Sie MX-Einträge (eingehend) oder die Connectors Ihrer E-Mail-Systeme (ausgehend) auf diese Adresse.</translation>
        </message>
        <message>
            <source>Outbound clients</source>
            <translation>Ausgehende Clients</translation>
        </message>
        <message>
            <source>Delivery and retries</source>
            <translation>Zustellung und Wiederholungen</translation>
        </message>
        <message>
            <source>Temporary failures are retried on this schedule, then bounced. It is far shorter than RFC 5321 suggests, as the hosted service was: lengthen it while a tenant re-verifies a domain.</source>
            <translation>Vorübergehende Fehler werden nach diesem Zeitplan wiederholt und dann als unzustellbar zurückgesendet. Er ist weit kürzer, als RFC 5321 empfiehlt, wie beim gehosteten Dienst: Verlängern Sie ihn, während ein Mandant eine Domäne erneut verifiziert.</translation>
        </message>
        <message>
            <source>Rewriting and limits</source>
            <translation>Umschreiben und Grenzwerte</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>Sonstiges</translation>
        </message>
        <message>
            <source>Saved settings are part of the draft: they reach the relay with the next push.</source>
            <translation>Gespeicherte Einstellungen gehören zum Entwurf: Sie erreichen das Relay mit der nächsten Veröffentlichung.</translation>
        </message>
        <message>
            <source>&amp;Save Settings</source>
            <translation>Einstellungen &amp;speichern</translation>
        </message>
        <message>
            <source>Re&amp;vert</source>
            <translation>&amp;Verwerfen</translation>
        </message>
        <message>
            <source>Mail routing</source>
            <translation>E-Mail-Routing</translation>
        </message>
        <message>
            <source>&amp;Activate</source>
            <translation>&amp;Aktivieren</translation>
        </message>
        <message>
            <source>Start the relay in this console with the active (pushed) generation</source>
            <translation>Das Relay in dieser Konsole mit der aktiven (veröffentlichten) Generation starten</translation>
        </message>
        <message>
            <source>S&amp;top Mail Routing…</source>
            <translation>E-Mail-Routing an&amp;halten…</translation>
        </message>
        <message>
            <source>Spool: %1</source>
            <translation>Spool: %1</translation>
        </message>
        <message>
            <source>Mail routing is stopped</source>
            <translation>Das E-Mail-Routing ist angehalten</translation>
        </message>
        <message>
            <source>Push your configuration, then click Activate to start the relay here.</source>
            <translation>Veröffentlichen Sie Ihre Konfiguration und klicken Sie dann auf Aktivieren, um das Relay hier zu starten.</translation>
        </message>
        <message>
            <source>The relay stopped: %1</source>
            <translation>Das Relay wurde angehalten: %1</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Wird gestartet…</translation>
        </message>
        <message>
            <source>Mail routing is active on %1</source>
            <translation>Das E-Mail-Routing ist aktiv auf %1</translation>
        </message>
        <message numerus="yes">
            <source>Generation %1 · %n open session(s)</source>
            <translation>
                <numerusform>Generation %1 · %n offene Sitzung</numerusform>
                <numerusform>Generation %1 · %n offene Sitzungen</numerusform>
            </translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>Wird angehalten…</translation>
        </message>
        <message>
            <source>Open sessions are told to come back later (421); the queue is kept.</source>
            <translation>Offene Sitzungen werden gebeten, es später erneut zu versuchen (421); die Warteschlange bleibt erhalten.</translation>
        </message>
        <message>
            <source>A headless relay (mailroutectl serve) runs on this database</source>
            <translation>Ein Relay ohne Oberfläche (mailroutectl serve) läuft auf dieser Datenbank</translation>
        </message>
        <message>
            <source>It picks up every push within a second; its log shows on the Logs pages. Stop it on its machine to run the relay here.</source>
            <translation>Es übernimmt jede Veröffentlichung innerhalb einer Sekunde; sein Protokoll erscheint auf den Protokollseiten. Halten Sie es auf seinem Rechner an, um das Relay hier auszuführen.</translation>
        </message>
        <message>
            <source>Per-domain routes</source>
            <translation>Routen pro Domäne</translation>
        </message>
        <message>
            <source>Mail for a recipient domain listed here goes to its next hop instead of the smart host or MX records: "host" or "host:port" (the host's MX records, then the host itself), or an address, "[192.0.2.1]:25".</source>
            <translation>E-Mails an eine hier aufgeführte Empfängerdomäne gehen an deren nächsten Hop statt an den Smarthost oder die MX-Einträge: „host“ oder „host:port“ (die MX-Einträge des Hosts, dann der Host selbst) oder eine Adresse, „[192.0.2.1]:25“.</translation>
        </message>
        <message>
            <source>Recipient domain</source>
            <translation>Empfängerdomäne</translation>
        </message>
        <message>
            <source>Next hop</source>
            <translation>Nächster Hop</translation>
        </message>
        <message>
            <source>drypizza.com</source>
            <translation>drypizza.com</translation>
        </message>
        <message>
            <source>smtp.drypizza.com:25</source>
            <translation>smtp.drypizza.com:25</translation>
        </message>
        <message>
            <source>Add &amp;Route</source>
            <translation>&amp;Route hinzufügen</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Domain: %1</source>
            <translation>Domäne: %1</translation>
        </message>
        <message>
            <source>Next hop: %1</source>
            <translation>Nächster Hop: %1</translation>
        </message>
        <message>
            <source>Route saved. Push to apply it to the relay.</source>
            <translation>Route gespeichert. Veröffentlichen Sie, um sie auf das Relay anzuwenden.</translation>
        </message>
        <message>
            <source>Select the routes to remove first.</source>
            <translation>Wählen Sie zuerst die zu entfernenden Routen aus.</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>Nicht gespeichert: %1</translation>
        </message>
        <message>
            <source>Some settings are not valid; the messages under the fields say why. Nothing was saved.</source>
            <translation>Einige Einstellungen sind ungültig; die Meldungen unter den Feldern nennen den Grund. Nichts wurde gespeichert.</translation>
        </message>
        <message>
            <source>%1 was not saved: %2</source>
            <translation>%1 wurde nicht gespeichert: %2</translation>
        </message>
        <message numerus="yes">
            <source>%n setting(s) saved to the draft. Push to make them active in the relay.</source>
            <translation>
                <numerusform>%n Einstellung im Entwurf gespeichert. Veröffentlichen Sie, um sie im Relay zu aktivieren.</numerusform>
                <numerusform>%n Einstellungen im Entwurf gespeichert. Veröffentlichen Sie, um sie im Relay zu aktivieren.</numerusform>
            </translation>
        </message>
        <message>
            <source>Smart host password:</source>
            <translation>Passwort für den Smarthost:</translation>
        </message>
        <message>
            <source>TLS (STARTTLS)</source>
            <translation>TLS (STARTTLS)</translation>
        </message>
        <message>
            <source>With a certificate and its key the relay offers STARTTLS (TLS 1.2 or later). A key protected by a passphrase is unlocked with the passphrase stored in the keychain.</source>
            <translation>Mit einem Zertifikat und seinem Schlüssel bietet das Relay STARTTLS an (TLS 1.2 oder neuer). Ein durch eine Passphrase geschützter Schlüssel wird mit der im Schlüsselbund gespeicherten Passphrase entsperrt.</translation>
        </message>
        <message>
            <source>Key passphrase:</source>
            <translation>Passphrase des Schlüssels:</translation>
        </message>
        <message>
            <source>Certificate:</source>
            <translation>Zertifikat:</translation>
        </message>
        <message>
            <source>Self-signed certificate written to %1. Save the settings and push to offer STARTTLS; clients will not trust it, so use it for a first test only.</source>
            <translation>Selbstsigniertes Zertifikat nach %1 geschrieben. Speichern Sie die Einstellungen und veröffentlichen Sie, um STARTTLS anzubieten; Clients vertrauen ihm nicht, verwenden Sie es also nur für einen ersten Test.</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>TLS: default</source>
            <translation>TLS: Standard</translation>
        </message>
        <message>
            <source>TLS: may (opportunistic)</source>
            <translation>TLS: may (opportunistisch)</translation>
        </message>
        <message>
            <source>TLS: encrypt (required)</source>
            <translation>TLS: encrypt (erforderlich)</translation>
        </message>
        <message>
            <source>TLS: verify (required, certificate checked)</source>
            <translation>TLS: verify (erforderlich, Zertifikat geprüft)</translation>
        </message>
        <message>
            <source>Under encrypt and verify no message leaves in plaintext: without TLS the mail waits and bounces by the retry schedule. Default follows the delivery.tls_policy setting.</source>
            <translation>Unter encrypt und verify verlässt keine Nachricht das Relay im Klartext: Ohne TLS wartet die E-Mail und geht nach dem Wiederholungszeitplan als unzustellbar zurück. Standard folgt der Einstellung delivery.tls_policy.</translation>
        </message>
        <message>
            <source>default</source>
            <translation>Standard</translation>
        </message>
        <message>
            <source>Clients in these networks may send to any recipient when the envelope sender's domain is an allowed sender domain (empty: the domains the Outbound rules name), or for bounces; their senders go through the Outbound area. Everyone else, and other senders, may only send to addresses an Inbound or Relay rule matches.</source>
            <translation>Clients in diesen Netzen dürfen an beliebige Empfänger senden, wenn die Domäne des Umschlag-Absenders eine erlaubte Absenderdomäne ist (leer: die Domänen, die die Outbound-Regeln nennen), oder für Unzustellbarkeitsberichte; ihre Absender durchlaufen den Bereich Outbound. Alle anderen, und andere Absender, dürfen nur an Adressen senden, auf die eine Inbound- oder Relay-Regel passt.</translation>
        </message>
        <message>
            <source>Recipient domain of the new route</source>
            <translation>Empfängerdomäne der neuen Route</translation>
        </message>
        <message>
            <source>Next hop of the new route</source>
            <translation>Nächster Hop der neuen Route</translation>
        </message>
        <message>
            <source>TLS policy of the new route</source>
            <translation>TLS-Richtlinie der neuen Route</translation>
        </message>
    </context>
    <context>
        <name>mailroute::UserMappingModel</name>
        <message>
            <source>Sorting by target works for lists of up to %1 rows; type a filter first. The list stays sorted by source.</source>
            <translation>Sortieren nach Ziel funktioniert für Listen mit bis zu %1 Zeilen; geben Sie zuerst einen Filter ein. Die Liste bleibt nach Quelle sortiert.</translation>
        </message>
        <message>
            <source>Mail for %1 goes to %2. Double-click to edit.</source>
            <translation>E-Mails an %1 gehen an %2. Zum Bearbeiten doppelklicken.</translation>
        </message>
        <message>
            <source>%1 is not a valid address: %2</source>
            <translation>%1 ist keine gültige Adresse: %2</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Quelle</translation>
        </message>
        <message>
            <source>Target</source>
            <translation>Ziel</translation>
        </message>
    </context>
    <context>
        <name>mailroute::VerifyTargetsPanel</name>
        <message>
            <source>Before accepting an Inbound or Relay recipient the relay asks its target whether the mailbox exists, so unknown users are refused at RCPT and nothing is bounced. A target that accepts any address defeats this: such domains are listed here. Exclude them (mailroutectl verify exclude DOMAIN) or make the tenant refuse unknown users (Exchange Online: Directory-Based Edge Blocking).</source>
            <translation>Bevor das Relay einen Inbound- oder Relay-Empfänger annimmt, fragt es sein Ziel, ob das Postfach existiert: unbekannte Benutzer werden beim RCPT abgewiesen und nichts wird zurückgeschickt. Ein Ziel, das jede Adresse annimmt, hebelt das aus: solche Domains stehen hier. Nehmen Sie sie aus (mailroutectl verify exclude DOMAIN) oder lassen Sie den Tenant unbekannte Benutzer abweisen (Exchange Online: Directory-Based Edge Blocking).</translation>
        </message>
        <message>
            <source>Check targets</source>
            <translation>Ziele prüfen</translation>
        </message>
        <message>
            <source>Target domain</source>
            <translation>Zieldomain</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Unknown address</source>
            <translation>Unbekannte Adresse</translation>
        </message>
        <message>
            <source>Reply</source>
            <translation>Antwort</translation>
        </message>
        <message>
            <source>Asking the targets…</source>
            <translation>Ziele werden gefragt…</translation>
        </message>
        <message>
            <source>accepts any address</source>
            <translation>nimmt jede Adresse an</translation>
        </message>
        <message>
            <source>refuses unknown addresses</source>
            <translation>weist unbekannte Adressen ab</translation>
        </message>
        <message>
            <source>could not tell</source>
            <translation>nicht feststellbar</translation>
        </message>
        <message>
            <source>(excluded)</source>
            <translation>(ausgenommen)</translation>
        </message>
        <message>
            <source>No Inbound or Relay rules: no targets to check.</source>
            <translation>Keine Inbound- oder Relay-Regeln: keine Ziele zu prüfen.</translation>
        </message>
        <message>
            <source>Targets that accept any address: %1. Unknown users there are accepted and bounced later.</source>
            <translation>Ziele, die jede Adresse annehmen: %1. Unbekannte Benutzer werden dort angenommen und später zurückgeschickt.</translation>
        </message>
        <message>
            <source>Every target answered; none accepts any address.</source>
            <translation>Alle Ziele haben geantwortet; keines nimmt jede Adresse an.</translation>
        </message>
        <message>
            <source>Recipient verification by target domain</source>
            <translation>Empfängerprüfung nach Zieldomain</translation>
        </message>
    </context>
    <context>
        <name>mailroute::WaveCreateDialog</name>
        <message>
            <source>E&amp;xpires</source>
            <translation>&amp;Läuft ab</translation>
        </message>
        <message>
            <source>&amp;Browse…</source>
            <translation>&amp;Durchsuchen…</translation>
        </message>
        <message>
            <source>Also create the Outbound &amp;inverses (replies keep the original address)</source>
            <translation>Auch die Outbound-&amp;Umkehrungen erstellen (Antworten behalten die ursprüngliche Adresse)</translation>
        </message>
        <message>
            <source>Apply at its time even if a check &amp;fails</source>
            <translation>Zur geplanten Zeit anwenden, auch wenn eine Prüfung &amp;fehlschlägt</translation>
        </message>
        <message>
            <source>C&amp;reate</source>
            <translation>&amp;Erstellen</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Create wave</source>
            <translation>Welle erstellen</translation>
        </message>
        <message>
            <source>e.g. sales-week-1</source>
            <translation>z. B. vertrieb-woche-1</translation>
        </message>
        <message>
            <source>A user list (Source;Target) or a migration batch file</source>
            <translation>Eine Benutzerliste (Source;Target) oder eine Batchdatei der Migration</translation>
        </message>
        <message>
            <source>Only for a batch file with an EmailAddress column, e.g. drypizza.com</source>
            <translation>Nur für eine Batchdatei mit einer Spalte EmailAddress, z. B. drypizza.com</translation>
        </message>
        <message>
            <source>Errors in the file</source>
            <translation>Fehler in der Datei</translation>
        </message>
        <message>
            <source>What the wave changes</source>
            <translation>Was die Welle ändert</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Name:</translation>
        </message>
        <message>
            <source>A&amp;rea:</source>
            <translation>&amp;Bereich:</translation>
        </message>
        <message>
            <source>&amp;Activation (local time):</source>
            <translation>&amp;Aktivierung (Ortszeit):</translation>
        </message>
        <message>
            <source>Expiry:</source>
            <translation>Ablauf:</translation>
        </message>
        <message>
            <source>&amp;File:</source>
            <translation>&amp;Datei:</translation>
        </message>
        <message>
            <source>&amp;Target domain:</source>
            <translation>&amp;Zieldomäne:</translation>
        </message>
        <message>
            <source>Choose the file of the wave's users.</source>
            <translation>Wählen Sie die Datei mit den Benutzern der Welle.</translation>
        </message>
        <message>
            <source>Reading and checking the file…</source>
            <translation>Datei wird gelesen und geprüft…</translation>
        </message>
        <message>
            <source>Wave file</source>
            <translation>Datei der Welle</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>%1 kann nicht gelesen werden: %2</translation>
        </message>
        <message>
            <source>The file cannot be used; nothing was created.</source>
            <translation>Die Datei ist nicht verwendbar; nichts wurde erstellt.</translation>
        </message>
        <message numerus="yes">
            <source>%n user(s) in the file: %1 new, %2 with another target, %3 unchanged.</source>
            <translation>
                <numerusform>%n Benutzer in der Datei: %1 neu, %2 mit anderem Ziel, %3 unverändert.</numerusform>
                <numerusform>%n Benutzer in der Datei: %1 neu, %2 mit anderem Ziel, %3 unverändert.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n Outbound inverse(s) will be added with them.</source>
            <translation>
                <numerusform>%n Outbound-Umkehrung wird mit ihnen hinzugefügt.</numerusform>
                <numerusform>%n Outbound-Umkehrungen werden mit ihnen hinzugefügt.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n target(s) already have another Outbound mapping or are shared; they are left as they are.</source>
            <translation>
                <numerusform>%n Ziel hat bereits eine andere Outbound-Zuordnung oder wird geteilt; es bleibt unverändert.</numerusform>
                <numerusform>%n Ziele haben bereits eine andere Outbound-Zuordnung oder werden geteilt; sie bleiben unverändert.</numerusform>
            </translation>
        </message>
        <message>
            <source>The name is not valid: %1</source>
            <translation>Der Name ist ungültig: %1</translation>
        </message>
        <message>
            <source>The expiry must come after the activation.</source>
            <translation>Der Ablauf muss nach der Aktivierung liegen.</translation>
        </message>
        <message>
            <source>Adding wave %1 to the draft…</source>
            <translation>Welle %1 wird dem Entwurf hinzugefügt…</translation>
        </message>
        <message>
            <source>The wave was not created: %1</source>
            <translation>Die Welle wurde nicht erstellt: %1</translation>
        </message>
    </context>
    <context>
        <name>mailroute::WaveTimeline</name>
        <message>
            <source>Scheduled</source>
            <translation>Geplant</translation>
        </message>
        <message>
            <source>Checked</source>
            <translation>Geprüft</translation>
        </message>
        <message>
            <source>Held</source>
            <translation>Angehalten</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Aktiv</translation>
        </message>
        <message>
            <source>Expired</source>
            <translation>Abgelaufen</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Abgebrochen</translation>
        </message>
        <message>
            <source>due now</source>
            <translation>jetzt fällig</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min</source>
            <translation>%1 min</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>%1 d %2 h</source>
            <translation>%1 T %2 h</translation>
        </message>
        <message>
            <source>in %1</source>
            <translation>in %1</translation>
        </message>
        <message>
            <source>%1 ago</source>
            <translation>vor %1</translation>
        </message>
        <message>
            <source>Wave timeline</source>
            <translation>Zeitleiste der Wellen</translation>
        </message>
        <message>
            <source>Now</source>
            <translation>Jetzt</translation>
        </message>
        <message>
            <source>No waves yet.</source>
            <translation>Noch keine Wellen.</translation>
        </message>
        <message numerus="yes">
            <source>%1: %2, %n user(s), activation %3</source>
            <translation>
                <numerusform>%1: %2, %n Benutzer, Aktivierung %3</numerusform>
                <numerusform>%1: %2, %n Benutzer, Aktivierung %3</numerusform>
            </translation>
        </message>
        <message>
            <source>, expiry %1</source>
            <translation>, Ablauf %1</translation>
        </message>
        <message numerus="yes">
            <source>Wave %1, %2, %n user(s): activation %3 (%4)</source>
            <translation>
                <numerusform>Welle %1, %2, %n Benutzer: Aktivierung %3 (%4)</numerusform>
                <numerusform>Welle %1, %2, %n Benutzer: Aktivierung %3 (%4)</numerusform>
            </translation>
        </message>
        <message>
            <source>; expiry %1 (%2)</source>
            <translation>; Ablauf %1 (%2)</translation>
        </message>
        <message>
            <source>; not pushed yet</source>
            <translation>; noch nicht übertragen</translation>
        </message>
    </context>
    <context>
        <name>mailroute::WavesPage</name>
        <message>
            <source>&amp;Create…</source>
            <translation>&amp;Erstellen…</translation>
        </message>
        <message>
            <source>Check &amp;now</source>
            <translation>Jetzt &amp;prüfen</translation>
        </message>
        <message>
            <source>&amp;Apply now…</source>
            <translation>Jetzt &amp;anwenden…</translation>
        </message>
        <message>
            <source>Cance&amp;l wave…</source>
            <translation>Welle ab&amp;brechen…</translation>
        </message>
        <message>
            <source>&amp;Push…</source>
            <translation>&amp;Übertragen…</translation>
        </message>
        <message>
            <source>A wave switches a batch of users to their new addresses at a set time, checked 24 hours and 1 hour before. Waves are part of the draft: push to schedule them; the relay applies each one at its time. Times are shown in local time.</source>
            <translation>Eine Welle stellt eine Gruppe von Benutzern zu einer festgelegten Zeit auf ihre neuen Adressen um, geprüft 24 Stunden und 1 Stunde vorher. Wellen gehören zum Entwurf: Übertragen Sie, um sie zu planen; das Relay wendet jede zu ihrer Zeit an. Zeiten werden in Ortszeit angezeigt.</translation>
        </message>
        <message>
            <source>Waves</source>
            <translation>Wellen</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Activation</source>
            <translation>Aktivierung</translation>
        </message>
        <message>
            <source>Countdown</source>
            <translation>Countdown</translation>
        </message>
        <message>
            <source>Expiry</source>
            <translation>Ablauf</translation>
        </message>
        <message>
            <source>Users</source>
            <translation>Benutzer</translation>
        </message>
        <message>
            <source>Wave details</source>
            <translation>Details der Welle</translation>
        </message>
        <message>
            <source>Select a wave to see its check, its note and its report.</source>
            <translation>Wählen Sie eine Welle, um ihre Prüfung, ihre Notiz und ihren Bericht zu sehen.</translation>
        </message>
        <message>
            <source>A new wave from a user list (Source;Target) or a migration batch file</source>
            <translation>Eine neue Welle aus einer Benutzerliste (Source;Target) oder einer Batchdatei der Migration</translation>
        </message>
        <message>
            <source>Lint, DNS of the target domains and, when waves.probe_rate is set, a recipient probe</source>
            <translation>Konfigurationswarnungen, DNS der Zieldomänen und, wenn waves.probe_rate gesetzt ist, eine Empfängerprüfung</translation>
        </message>
        <message>
            <source>Make the wave active now instead of at its time</source>
            <translation>Die Welle jetzt statt zu ihrer Zeit aktivieren</translation>
        </message>
        <message>
            <source>A scheduled wave is not applied; an active one has its mappings removed</source>
            <translation>Eine geplante Welle wird nicht angewendet; bei einer aktiven werden ihre Zuordnungen entfernt</translation>
        </message>
        <message>
            <source>Waves take effect once pushed</source>
            <translation>Wellen wirken erst nach dem Übertragen</translation>
        </message>
        <message>
            <source>The waves cannot be read: %1</source>
            <translation>Die Wellen können nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>%1 (not pushed)</source>
            <translation>%1 (nicht übertragen)</translation>
        </message>
        <message>
            <source>%1 (removed from the draft)</source>
            <translation>%1 (aus dem Entwurf entfernt)</translation>
        </message>
        <message>
            <source>none</source>
            <translation>keiner</translation>
        </message>
        <message>
            <source>%1 + %2 Outbound</source>
            <translation>%1 + %2 Outbound</translation>
        </message>
        <message>
            <source>expires %1</source>
            <translation>läuft ab %1</translation>
        </message>
        <message>
            <source>Remove from the draft…</source>
            <translation>Aus dem Entwurf entfernen…</translation>
        </message>
        <message>
            <source>Wave %1: %2</source>
            <translation>Welle %1: %2</translation>
        </message>
        <message numerus="yes">
            <source>%1 area, %n user mapping(s)</source>
            <translation>
                <numerusform>Bereich %1, %n Benutzerzuordnung</numerusform>
                <numerusform>Bereich %1, %n Benutzerzuordnungen</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>With %n Outbound inverse(s) (the round-trip rule)</source>
            <translation>
                <numerusform>Mit %n Outbound-Umkehrung (die Hin-und-zurück-Regel)</numerusform>
                <numerusform>Mit %n Outbound-Umkehrungen (die Hin-und-zurück-Regel)</numerusform>
            </translation>
        </message>
        <message>
            <source>Activation: %1 (%2)</source>
            <translation>Aktivierung: %1 (%2)</translation>
        </message>
        <message>
            <source>Expiry: %1 (%2)</source>
            <translation>Ablauf: %1 (%2)</translation>
        </message>
        <message>
            <source>Expiry: none, the mappings stay</source>
            <translation>Ablauf: keiner, die Zuordnungen bleiben</translation>
        </message>
        <message>
            <source>Only in the draft: push to schedule it.</source>
            <translation>Nur im Entwurf: Übertragen Sie, um sie zu planen.</translation>
        </message>
        <message>
            <source>Removed from the draft: the next push removes it from the schedule.</source>
            <translation>Aus dem Entwurf entfernt: Die nächste Übertragung nimmt sie aus dem Zeitplan.</translation>
        </message>
        <message>
            <source>Applied at its time even if a check fails.</source>
            <translation>Wird zu ihrer Zeit angewendet, auch wenn eine Prüfung fehlschlägt.</translation>
        </message>
        <message>
            <source>Note: %1</source>
            <translation>Notiz: %1</translation>
        </message>
        <message>
            <source>Activated %1 (generation %2)</source>
            <translation>Aktiviert %1 (Generation %2)</translation>
        </message>
        <message>
            <source>Ended %1 (generation %2)</source>
            <translation>Beendet %1 (Generation %2)</translation>
        </message>
        <message>
            <source>Ended %1</source>
            <translation>Beendet %1</translation>
        </message>
        <message>
            <source>Last check (%1, %2): passed</source>
            <translation>Letzte Prüfung (%1, %2): bestanden</translation>
        </message>
        <message>
            <source>Last check (%1, %2): FAILED</source>
            <translation>Letzte Prüfung (%1, %2): FEHLGESCHLAGEN</translation>
        </message>
        <message>
            <source>Not checked yet (checks run 24 hours and 1 hour before the activation, or with Check now).</source>
            <translation>Noch nicht geprüft (Prüfungen laufen 24 Stunden und 1 Stunde vor der Aktivierung oder mit „Jetzt prüfen“).</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Wird geprüft…</translation>
        </message>
        <message>
            <source>Reading the report…</source>
            <translation>Bericht wird gelesen…</translation>
        </message>
        <message>
            <source>Mappings:</source>
            <translation>Zuordnungen:</translation>
        </message>
        <message numerus="yes">
            <source>  … and %n more</source>
            <translation>
                <numerusform>  … und %n weitere</numerusform>
                <numerusform>  … und %n weitere</numerusform>
            </translation>
        </message>
        <message>
            <source>No report: %1</source>
            <translation>Kein Bericht: %1</translation>
        </message>
        <message>
            <source>Report, first hour after activation (%1 to %2): %3 delivered, %4 deferred, %5 bounced</source>
            <translation>Bericht, erste Stunde nach der Aktivierung (%1 bis %2): %3 zugestellt, %4 verzögert, %5 unzustellbar</translation>
        </message>
        <message>
            <source>  %1: %2 delivered, %3 deferred, %4 bounced</source>
            <translation>  %1: %2 zugestellt, %3 verzögert, %4 unzustellbar</translation>
        </message>
        <message>
            <source>  No messages to the wave's targets yet.</source>
            <translation>  Noch keine Nachrichten an die Ziele der Welle.</translation>
        </message>
        <message>
            <source>Wave %1 is in the draft. Push to schedule it.</source>
            <translation>Welle %1 ist im Entwurf. Übertragen Sie, um sie zu planen.</translation>
        </message>
        <message>
            <source>Wave %1 cannot be checked: %2</source>
            <translation>Welle %1 kann nicht geprüft werden: %2</translation>
        </message>
        <message>
            <source>The check of wave %1 could not be recorded: %2</source>
            <translation>Die Prüfung der Welle %1 konnte nicht gespeichert werden: %2</translation>
        </message>
        <message>
            <source>Wave %1: the check passed.</source>
            <translation>Welle %1: Die Prüfung war erfolgreich.</translation>
        </message>
        <message>
            <source>Wave %1: the check FAILED; see its details.</source>
            <translation>Welle %1: Die Prüfung ist FEHLGESCHLAGEN; siehe ihre Details.</translation>
        </message>
        <message>
            <source>Apply wave now</source>
            <translation>Welle jetzt anwenden</translation>
        </message>
        <message numerus="yes">
            <source>Apply wave %1 now? A new generation is made from the active one with its %n mapping(s); the relay uses it at once. Its activation time is not waited for.</source>
            <translation>
                <numerusform>Welle %1 jetzt anwenden? Aus der aktiven Generation wird eine neue mit ihrer %n Zuordnung erstellt; das Relay verwendet sie sofort. Auf ihre Aktivierungszeit wird nicht gewartet.</numerusform>
                <numerusform>Welle %1 jetzt anwenden? Aus der aktiven Generation wird eine neue mit ihren %n Zuordnungen erstellt; das Relay verwendet sie sofort. Auf ihre Aktivierungszeit wird nicht gewartet.</numerusform>
            </translation>
        </message>
        <message>
            <source>Apply now</source>
            <translation>Jetzt anwenden</translation>
        </message>
        <message>
            <source>Wave %1 was not applied: %2</source>
            <translation>Welle %1 wurde nicht angewendet: %2</translation>
        </message>
        <message>
            <source>Wave %1 is active: generation %2.</source>
            <translation>Welle %1 ist aktiv: Generation %2.</translation>
        </message>
        <message>
            <source>Remove wave %1 from the draft? It was never pushed.</source>
            <translation>Welle %1 aus dem Entwurf entfernen? Sie wurde nie übertragen.</translation>
        </message>
        <message>
            <source>Cancel wave %1? It is active: a new generation removes its mappings and restores what they replaced.</source>
            <translation>Welle %1 abbrechen? Sie ist aktiv: Eine neue Generation entfernt ihre Zuordnungen und stellt wieder her, was sie ersetzt haben.</translation>
        </message>
        <message>
            <source>Cancel wave %1? It will not be applied.</source>
            <translation>Welle %1 abbrechen? Sie wird nicht angewendet.</translation>
        </message>
        <message>
            <source>Cancel wave</source>
            <translation>Welle abbrechen</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Keep it</source>
            <translation>Behalten</translation>
        </message>
        <message>
            <source>Wave %1 was removed from the draft.</source>
            <translation>Welle %1 wurde aus dem Entwurf entfernt.</translation>
        </message>
        <message>
            <source>Wave %1 is cancelled.</source>
            <translation>Welle %1 ist abgebrochen.</translation>
        </message>
        <message>
            <source>Generation %1 removed its mappings.</source>
            <translation>Generation %1 hat ihre Zuordnungen entfernt.</translation>
        </message>
        <message>
            <source>Wave %1 was not cancelled: %2</source>
            <translation>Welle %1 wurde nicht abgebrochen: %2</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Configuration database file.</source>
            <translation>Datei der Konfigurationsdatenbank.</translation>
        </message>
        <message>
            <source>Spool directory (default: beside the database).</source>
            <translation>Spool-Verzeichnis (Standard: neben der Datenbank).</translation>
        </message>
        <message>
            <source>Start, print the titles of the windows shown, and exit.</source>
            <translation>Starten, die Titel der angezeigten Fenster ausgeben und beenden.</translation>
        </message>
        <message>
            <source>Cannot open the database %1:
%2</source>
            <translation>Die Datenbank %1 kann nicht geöffnet werden:
%2</translation>
        </message>
        <message>
            <source>Language of the console: en, fr or de (default: View ▸ Language, else the system's language).</source>
            <translation>Sprache der Konsole: en, fr oder de (Standard: Ansicht ▸ Sprache, sonst die Sprache des Systems).</translation>
        </message>
        <message>
            <source>Unknown language %1: use en, fr or de.</source>
            <translation>Unbekannte Sprache %1: Verwenden Sie en, fr oder de.</translation>
        </message>
        <message>
            <source>MailRoute administration console: domain and user mappings for the Relay,
Inbound and Outbound areas, push, live logs, and the bundled SMTP relay.

Environment:
  MAILROUTE_DB          the database when --db is not given (default: MailRoute/mailroute.db
                        in your data directory)
  MAILROUTE_NAMESERVER  DNS server (HOST[:PORT], IPv6 as [ADDR]:PORT) for the relay and the
                        readiness checks (default: the system's resolver)

mailroutectl does the same without a window (mailroutectl --help).</source>
            <translation>MailRoute-Verwaltungskonsole: Domänen- und Benutzerzuordnungen der Bereiche Relay,
Inbound und Outbound, Veröffentlichung, Live-Protokolle und das integrierte SMTP-Relay.

Umgebung:
  MAILROUTE_DB          die Datenbank, wenn --db nicht angegeben ist (Standard: MailRoute/mailroute.db
                        in Ihrem Datenverzeichnis)
  MAILROUTE_NAMESERVER  DNS-Server (HOST[:PORT], IPv6 als [ADRESSE]:PORT) für das Relay und die
                        Bereitschaftsprüfungen (Standard: der Resolver des Systems)

mailroutectl tut dasselbe ohne Fenster (mailroutectl --help).</translation>
        </message>
        <message>
            <source>MAILROUTE_NAMESERVER is not usable: %1</source>
            <translation>MAILROUTE_NAMESERVER ist nicht verwendbar: %1</translation>
        </message>
        <message>
            <source>mailroute: the MailRoute console needs a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set); to run the relay without a window, start "mailroutectl serve" or the systemd unit mailroute.service ("systemctl enable --now mailroute.service").</source>
            <translation>mailroute: Die MailRoute-Konsole braucht eine Desktop-Sitzung (weder DISPLAY noch WAYLAND_DISPLAY ist gesetzt); um das Relay ohne Fenster zu betreiben, starten Sie "mailroutectl serve" oder die systemd-Unit mailroute.service ("systemctl enable --now mailroute.service").</translation>
        </message>
        <message>
            <source>MailRoute is already open on %1: its window was brought to the front.</source>
            <translation>MailRoute ist bereits für %1 geöffnet: Sein Fenster wurde in den Vordergrund geholt.</translation>
        </message>
        <message>
            <source>MailRoute is already open on %1 but does not answer; close it or end its process, then start MailRoute again.</source>
            <translation>MailRoute ist bereits für %1 geöffnet, antwortet aber nicht; schließen Sie es oder beenden Sie seinen Prozess und starten Sie MailRoute dann erneut.</translation>
        </message>
    </context>
    <context>
        <name>TraceExport</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
        <message>
            <source>Google Admin console (https://admin.google.com) &gt; Reporting &gt; Email log search: Message ID %1, date from %2 to %3</source>
            <translation>Google Admin-Konsole (https://admin.google.com) &gt; Berichte &gt; E-Mail-Protokollsuche: Nachrichten-ID %1, Datum von %2 bis %3</translation>
        </message>
        <message>
            <source>Exchange Online (PowerShell):</source>
            <translation>Exchange Online (PowerShell):</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ChartPanel</name>
        <message>
            <source>Figures</source>
            <translation>Zahlen</translation>
        </message>
        <message>
            <source>Show the figures of "%1" as a table</source>
            <translation>Die Zahlen von „%1“ als Tabelle zeigen</translation>
        </message>
        <message>
            <source>Figures of "%1"</source>
            <translation>Zahlen von „%1“</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ChartWidget</name>
        <message>
            <source>Total</source>
            <translation>Summe</translation>
        </message>
        <message>
            <source>%1 (%2 %)</source>
            <translation>%1 (%2 %)</translation>
        </message>
        <message>
            <source>%1 %2</source>
            <translation>%1 %2</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>No figures</source>
            <translation>Keine Zahlen</translation>
        </message>
    </context>
    <context>
        <name>mailroute::OverviewPage</name>
        <message>
            <source>&amp;Refresh</source>
            <translation>A&amp;ktualisieren</translation>
        </message>
        <message>
            <source>Reading the figures…</source>
            <translation>Die Zahlen werden gelesen…</translation>
        </message>
        <message>
            <source>Messages per hour and area, last 24 hours</source>
            <translation>Nachrichten pro Stunde und Bereich, letzte 24 Stunden</translation>
        </message>
        <message>
            <source>Messages per hour and area, last 7 days</source>
            <translation>Nachrichten pro Stunde und Bereich, letzte 7 Tage</translation>
        </message>
        <message>
            <source>Messages per day and status, last 7 days</source>
            <translation>Nachrichten pro Tag und Status, letzte 7 Tage</translation>
        </message>
        <message>
            <source>Messages in the queue, last 7 days</source>
            <translation>Nachrichten in der Warteschlange, letzte 7 Tage</translation>
        </message>
        <message>
            <source>Top target domains (recipients), last 7 days</source>
            <translation>Häufigste Zieldomänen (Empfänger), letzte 7 Tage</translation>
        </message>
        <message>
            <source>Cut-over: Inbound mail by user rules against the domain rule</source>
            <translation>Umstellung: Inbound-Mail nach Benutzerregeln gegenüber der Domänenregel</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Wird geladen…</translation>
        </message>
        <message>
            <source>For each Inbound domain: the recipients a user rule sent to the new system, and those the domain rule sent on as before</source>
            <translation>Für jede Inbound-Domäne: die Empfänger, die eine Benutzerregel an das neue System geschickt hat, und die, die die Domänenregel wie bisher weitergeleitet hat</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>Letzte 24 Stunden</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>Letzte 7 Tage</translation>
        </message>
        <message>
            <source>Cannot read the message trace: %1</source>
            <translation>Die Nachrichtenverfolgung kann nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>Not available</source>
            <translation>Nicht verfügbar</translation>
        </message>
        <message>
            <source>Messages received from %1 to %2</source>
            <translation>Nachrichten empfangen von %1 bis %2</translation>
        </message>
        <message>
            <source>Messages</source>
            <translation>Nachrichten</translation>
        </message>
        <message>
            <source>Delivered</source>
            <translation>Zugestellt</translation>
        </message>
        <message>
            <source>Deferred</source>
            <translation>Zurückgestellt</translation>
        </message>
        <message>
            <source>Bounced</source>
            <translation>Unzustellbar</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>Abgelehnt</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>In der Warteschlange</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>No messages in these 7 days</source>
            <translation>Keine Nachrichten in diesen 7 Tagen</translation>
        </message>
        <message>
            <source>No rule</source>
            <translation>Keine Regel</translation>
        </message>
        <message>
            <source>Recipients</source>
            <translation>Empfänger</translation>
        </message>
        <message>
            <source>User rules (new system)</source>
            <translation>Benutzerregeln (neues System)</translation>
        </message>
        <message>
            <source>Domain rule</source>
            <translation>Domänenregel</translation>
        </message>
        <message>
            <source>Nothing delivered in these 7 days</source>
            <translation>Nichts zugestellt in diesen 7 Tagen</translation>
        </message>
        <message>
            <source>No Inbound mail in these 7 days</source>
            <translation>Keine Inbound-Mail in diesen 7 Tagen</translation>
        </message>
    </context>
    <context>
        <name>mailroute::TracePage</name>
        <message>
            <source>&amp;Search</source>
            <translation>&amp;Suchen</translation>
        </message>
        <message>
            <source>&amp;Export CSV…</source>
            <translation>Als CSV &amp;exportieren…</translation>
        </message>
        <message>
            <source>&amp;Copy trace query</source>
            <translation>Verfolgungsabfrage &amp;kopieren</translation>
        </message>
        <message>
            <source>Sender or recipient, original or rewritten, or a part of it</source>
            <translation>Absender oder Empfänger, ursprünglich oder umgeschrieben, oder ein Teil davon</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <source>Message-ID, whole or a part of it</source>
            <translation>Message-ID, ganz oder ein Teil davon</translation>
        </message>
        <message>
            <source>Message-ID</source>
            <translation>Message-ID</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Any status</source>
            <translation>Jeder Status</translation>
        </message>
        <message>
            <source>Period</source>
            <translation>Zeitraum</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>Letzte 24 Stunden</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>Letzte 7 Tage</translation>
        </message>
        <message>
            <source>Last 30 days</source>
            <translation>Letzte 30 Tage</translation>
        </message>
        <message>
            <source>Last 90 days</source>
            <translation>Letzte 90 Tage</translation>
        </message>
        <message>
            <source>Any time</source>
            <translation>Jederzeit</translation>
        </message>
        <message>
            <source>Between…</source>
            <translation>Zwischen…</translation>
        </message>
        <message>
            <source>Received from</source>
            <translation>Empfangen ab</translation>
        </message>
        <message>
            <source>Received until</source>
            <translation>Empfangen bis</translation>
        </message>
        <message>
            <source>Save the results as CSV, with the columns of Google's Email Log Search export</source>
            <translation>Die Ergebnisse als CSV speichern, mit den Spalten des Exports der E-Mail-Protokollsuche von Google</translation>
        </message>
        <message>
            <source>Copy the Exchange Online and Google Admin searches for the selected message's Message-ID, to follow it into the tenant</source>
            <translation>Die Suchen in Exchange Online und Google Admin nach der Message-ID der gewählten Nachricht kopieren, um ihr in den Mandanten zu folgen</translation>
        </message>
        <message>
            <source>Messages found</source>
            <translation>Gefundene Nachrichten</translation>
        </message>
        <message>
            <source>Choose a message to see its timeline.</source>
            <translation>Wählen Sie eine Nachricht, um ihren Verlauf zu sehen.</translation>
        </message>
        <message>
            <source>Timeline of the message</source>
            <translation>Verlauf der Nachricht</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>Ereignis</translation>
        </message>
        <message>
            <source>Area</source>
            <translation>Bereich</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation>&amp;Adresse:</translation>
        </message>
        <message>
            <source>&amp;Message-ID:</source>
            <translation>&amp;Message-ID:</translation>
        </message>
        <message>
            <source>S&amp;tatus:</source>
            <translation>S&amp;tatus:</translation>
        </message>
        <message>
            <source>&amp;Period:</source>
            <translation>&amp;Zeitraum:</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>Suche läuft…</translation>
        </message>
        <message>
            <source>Cannot search the trace: %1</source>
            <translation>Die Verfolgung kann nicht durchsucht werden: %1</translation>
        </message>
        <message numerus="yes">
            <source>The first %n message(s); narrow the search to see the others.</source>
            <translation>
                <numerusform>Die erste Nachricht (%n); grenzen Sie die Suche ein, um die anderen zu sehen.</numerusform>
                <numerusform>Die ersten %n Nachrichten; grenzen Sie die Suche ein, um die anderen zu sehen.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) found</source>
            <translation>
                <numerusform>%n Nachricht gefunden</numerusform>
                <numerusform>%n Nachrichten gefunden</numerusform>
            </translation>
        </message>
        <message>
            <source>Reading the timeline…</source>
            <translation>Der Verlauf wird gelesen…</translation>
        </message>
        <message>
            <source>Cannot read the timeline: %1</source>
            <translation>Der Verlauf kann nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>Message-ID: %1</source>
            <translation>Message-ID: %1</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(keine)</translation>
        </message>
        <message>
            <source>Subject: %1</source>
            <translation>Betreff: %1</translation>
        </message>
        <message>
            <source>Queue ID: %1   Client: %2 (HELO %3)   TLS: %4   Size: %5</source>
            <translation>Warteschlangen-ID: %1   Client: %2 (HELO %3)   TLS: %4   Größe: %5</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>no</source>
            <translation>nein</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>unbekannt</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>%1 → %2: %3</source>
            <translation>%1 → %2: %3</translation>
        </message>
        <message>
            <source>Export the trace results</source>
            <translation>Die Ergebnisse der Verfolgung exportieren</translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) exported to %1</source>
            <translation>
                <numerusform>%n Nachricht nach %1 exportiert</numerusform>
                <numerusform>%n Nachrichten nach %1 exportiert</numerusform>
            </translation>
        </message>
        <message>
            <source>The Exchange Online and Google searches for %1 are on the clipboard.</source>
            <translation>Die Suchen in Exchange Online und Google nach %1 sind in der Zwischenablage.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::TraceResultModel</name>
        <message>
            <source>Queued</source>
            <translation>In der Warteschlange</translation>
        </message>
        <message>
            <source>Deferred</source>
            <translation>Zurückgestellt</translation>
        </message>
        <message>
            <source>Delivered</source>
            <translation>Zugestellt</translation>
        </message>
        <message>
            <source>Bounced</source>
            <translation>Unzustellbar</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>Abgelehnt</translation>
        </message>
        <message>
            <source>No rule</source>
            <translation>Keine Regel</translation>
        </message>
        <message>
            <source>%1
Subject: %2</source>
            <translation>%1
Betreff: %2</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>From</source>
            <translation>Von</translation>
        </message>
        <message>
            <source>To (as sent)</source>
            <translation>An (wie gesendet)</translation>
        </message>
        <message>
            <source>To (as delivered)</source>
            <translation>An (wie zugestellt)</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Area</source>
            <translation>Bereich</translation>
        </message>
    </context>
</TS>
