<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
    <context>
        <name>ConsoleLanguage</name>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Langue</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Langue</translation>
        </message>
        <message>
            <source>MailRoute uses the new language when it starts again.</source>
            <translation>MailRoute utilisera la nouvelle langue à son prochain démarrage.</translation>
        </message>
        <message>
            <source>&amp;System Language</source>
            <translation>Langue du &amp;système</translation>
        </message>
    </context>
    <context>
        <name>InEffect</name>
        <message>
            <source>empty</source>
            <translation>vide</translation>
        </message>
        <message>
            <source>nothing has been pushed</source>
            <translation>rien n'a été publié</translation>
        </message>
        <message>
            <source>Push configuration</source>
            <translation>Publier la configuration</translation>
        </message>
        <message>
            <source>The Settings page has changes that are not saved.</source>
            <translation>La page Paramètres contient des modifications non enregistrées.</translation>
        </message>
        <message>
            <source>A push sends what is saved in the draft, so these would not reach the relay:</source>
            <translation>Une publication envoie ce qui est enregistré dans le brouillon ; ces modifications n'atteindraient donc pas le relais :</translation>
        </message>
        <message>
            <source>Save them and push, or cancel and look at them first.</source>
            <translation>Enregistrez-les et publiez, ou annulez pour les examiner d'abord.</translation>
        </message>
        <message>
            <source>Save and Push</source>
            <translation>Enregistrer et publier</translation>
        </message>
        <message>
            <source>%1: %2 in generation %3, %4 saved but not pushed</source>
            <translation>%1 : %2 dans la génération %3, %4 enregistré mais non publié</translation>
        </message>
        <message>
            <source>%1: changed on the Settings page, not saved</source>
            <translation>%1 : modifié sur la page Paramètres, non enregistré</translation>
        </message>
        <message>
            <source>Activate</source>
            <translation>Activer</translation>
        </message>
        <message>
            <source>The relay would start with the settings of generation %1, not with those on the Settings page.</source>
            <translation>Le relais démarrerait avec les paramètres de la génération %1, et non avec ceux de la page Paramètres.</translation>
        </message>
        <message>
            <source>Push first, and the relay starts with what the page shows.</source>
            <translation>Publiez d'abord, et le relais démarre avec ce que la page affiche.</translation>
        </message>
        <message>
            <source>Push, Then Activate</source>
            <translation>Publier, puis activer</translation>
        </message>
        <message>
            <source>Activate Generation %1</source>
            <translation>Activer la génération %1</translation>
        </message>
        <message>
            <source>Unsaved settings</source>
            <translation>Paramètres non enregistrés</translation>
        </message>
        <message>
            <source>Save the changed settings?</source>
            <translation>Enregistrer les paramètres modifiés ?</translation>
        </message>
        <message>
            <source>Saved settings go to the draft and reach the relay with the next push; Discard brings back the saved values.</source>
            <translation>Les paramètres enregistrés vont dans le brouillon et atteignent le relais à la prochaine publication ; Ne pas enregistrer rétablit les valeurs enregistrées.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message numerus="yes">
            <source>• %n domain(s) on hold: %1. Their mail stays in the queue, neither attempted nor bounced, until you release them (Queue page).</source>
            <translation>
                <numerusform>• %n domaine en attente : %1. Son courrier reste dans la file d'attente, sans tentative ni renvoi, jusqu'à sa libération (page File d'attente).</numerusform>
                <numerusform>• %n domaines en attente : %1. Leur courrier reste dans la file d'attente, sans tentative ni renvoi, jusqu'à leur libération (page File d'attente).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MessageLogRow</name>
        <message>
            <source>queued, %1 from %2</source>
            <translation>mis en file d'attente, %1 de %2</translation>
        </message>
        <message>
            <source>%1 (attempt %2; next %3)</source>
            <translation>%1 (tentative %2 ; suivante %3)</translation>
        </message>
        <message>
            <source>%1 (DSN %2)</source>
            <translation>%1 (DSN %2)</translation>
        </message>
        <message>
            <source>%1 kept: %2</source>
            <translation>%1 conservé : %2</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1 : %2</translation>
        </message>
        <message>
            <source>user rule</source>
            <translation>règle d'utilisateur</translation>
        </message>
        <message>
            <source>domain rule</source>
            <translation>règle de domaine</translation>
        </message>
        <message>
            <source>%1 (client %2)</source>
            <translation>%1 (client %2)</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>Fichiers CSV (*.csv)</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>Tous les fichiers (*)</translation>
        </message>
    </context>
    <context>
        <name>SelfSignedCertificate</name>
        <message>
            <source>Host name: %1</source>
            <translation>Nom d'hôte : %1</translation>
        </message>
        <message>
            <source>Cannot create the folder %1.</source>
            <translation>Impossible de créer le dossier %1.</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>Impossible d'écrire %1 : %2</translation>
        </message>
        <message>
            <source>The openssl command could not be run (%1). Install OpenSSL (Debian: apt install openssl); MailRoute uses it because Qt cannot create certificates.</source>
            <translation>La commande openssl n'a pas pu être exécutée (%1). Installez OpenSSL (Debian : apt install openssl) ; MailRoute l'utilise car Qt ne sait pas créer de certificats.</translation>
        </message>
        <message>
            <source>openssl could not create the certificate: %1</source>
            <translation>openssl n'a pas pu créer le certificat : %1</translation>
        </message>
        <message>
            <source>Cannot write the certificate into %1.</source>
            <translation>Impossible d'écrire le certificat dans %1.</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <source>Listen address and port</source>
            <translation>Adresse et port d'écoute</translation>
        </message>
        <message>
            <source>Relay host name</source>
            <translation>Nom d'hôte du relais</translation>
        </message>
        <message>
            <source>Postmaster (your address)</source>
            <translation>Postmaster (votre adresse)</translation>
        </message>
        <message>
            <source>Most Received: fields (loops)</source>
            <translation>Nombre maximal de champs Received: (boucles)</translation>
        </message>
        <message>
            <source>Allowed client networks</source>
            <translation>Réseaux clients autorisés</translation>
        </message>
        <message>
            <source>Smart host</source>
            <translation>Hôte actif</translation>
        </message>
        <message>
            <source>Connections per next hop</source>
            <translation>Connexions par prochain saut</translation>
        </message>
        <message>
            <source>Retry schedule</source>
            <translation>Calendrier des nouvelles tentatives</translation>
        </message>
        <message>
            <source>Largest message</source>
            <translation>Taille maximale d'un message</translation>
        </message>
        <message>
            <source>Recipients per message</source>
            <translation>Destinataires par message</translation>
        </message>
        <message>
            <source>Longest command line</source>
            <translation>Ligne de commande la plus longue</translation>
        </message>
        <message>
            <source>Longest text line</source>
            <translation>Ligne de texte la plus longue</translation>
        </message>
        <message>
            <source>Concurrent sessions</source>
            <translation>Sessions simultanées</translation>
        </message>
        <message>
            <source>Sessions per client address</source>
            <translation>Sessions par adresse client</translation>
        </message>
        <message>
            <source>Command time-out</source>
            <translation>Délai d'attente d'une commande</translation>
        </message>
        <message>
            <source>Message text time-out</source>
            <translation>Délai d'attente du texte du message</translation>
        </message>
        <message>
            <source>Protocol errors per session</source>
            <translation>Erreurs de protocole par session</translation>
        </message>
        <message>
            <source>TLS certificate (PEM file)</source>
            <translation>Certificat TLS (fichier PEM)</translation>
        </message>
        <message>
            <source>TLS private key (PEM file)</source>
            <translation>Clé privée TLS (fichier PEM)</translation>
        </message>
        <message>
            <source>Smart host user name</source>
            <translation>Nom d'utilisateur de l'hôte actif</translation>
        </message>
        <message>
            <source>empty: MX look-up in DNS</source>
            <translation>vide : recherche MX dans le DNS</translation>
        </message>
        <message>
            <source>empty: this machine's name</source>
            <translation>vide : le nom de cette machine</translation>
        </message>
        <message>
            <source>empty: not configured</source>
            <translation>vide : non configuré</translation>
        </message>
        <message numerus="yes">
            <source>%n hour(s)</source>
            <translation>
                <numerusform>%n heure</numerusform>
                <numerusform>%n heures</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n minute(s)</source>
            <translation>
                <numerusform>%n minute</numerusform>
                <numerusform>%n minutes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n second(s)</source>
            <translation>
                <numerusform>%n seconde</numerusform>
                <numerusform>%n secondes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n retry(s) after the first attempt: %1</source>
            <translation>
                <numerusform>%n nouvelle tentative après la première : %1</numerusform>
                <numerusform>%n nouvelles tentatives après la première : %1</numerusform>
            </translation>
        </message>
        <message>
            <source>Mail goes to each domain's MX hosts.</source>
            <translation>Le courrier part vers les hôtes MX de chaque domaine.</translation>
        </message>
        <message>
            <source>Require STARTTLS before MAIL</source>
            <translation>Exiger STARTTLS avant MAIL</translation>
        </message>
        <message>
            <source>Public address (for SPF)</source>
            <translation>Adresse publique (pour SPF)</translation>
        </message>
        <message>
            <source>TLS to MX hosts</source>
            <translation>TLS vers les hôtes MX</translation>
        </message>
        <message>
            <source>TLS to the smart host</source>
            <translation>TLS vers l'hôte actif</translation>
        </message>
        <message>
            <source>Extra CA certificates (PEM file)</source>
            <translation>Certificats d'AC supplémentaires (fichier PEM)</translation>
        </message>
        <message>
            <source>Rewrite To and Cc</source>
            <translation>Réécrire To et Cc</translation>
        </message>
        <message>
            <source>Rewrite From, Sender and Reply-To</source>
            <translation>Réécrire From, Sender et Reply-To</translation>
        </message>
        <message>
            <source>unsigned: To and Cc are rewritten only when no valid DKIM signature of the sender covers them, so signed mail stays valid; the envelope is always rewritten.</source>
            <translation>unsigned : To et Cc ne sont réécrits que si aucune signature DKIM valide de l'expéditeur ne les couvre, le courrier signé reste donc valide ; l'enveloppe est toujours réécrite.</translation>
        </message>
        <message>
            <source>always: To and Cc are always rewritten; a sender's DKIM signature that covers them breaks, and the message can fail DMARC at the target tenant.</source>
            <translation>always : To et Cc sont toujours réécrits ; une signature DKIM de l'expéditeur qui les couvre est cassée, et le message peut échouer à DMARC chez le locataire cible.</translation>
        </message>
        <message>
            <source>never: To and Cc keep the addresses the sender wrote, so signatures stay valid; only the envelope recipients are rewritten.</source>
            <translation>never : To et Cc gardent les adresses écrites par l'expéditeur, les signatures restent donc valides ; seuls les destinataires de l'enveloppe sont réécrits.</translation>
        </message>
        <message>
            <source>yes: From, Sender and Reply-To of the outbound clients' mail are rewritten with the envelope sender; a DKIM signature the client's own server added over them breaks, so sign after the relay.</source>
            <translation>yes : From, Sender et Reply-To du courrier des clients sortants sont réécrits avec l'expéditeur de l'enveloppe ; une signature DKIM ajoutée sur ces champs par le serveur du client est cassée, signez donc après le relais.</translation>
        </message>
        <message>
            <source>no: only the envelope sender is rewritten; the headers and any signature over them stay as they were.</source>
            <translation>no : seul l'expéditeur de l'enveloppe est réécrit ; les en-têtes et toute signature qui les couvre restent tels quels.</translation>
        </message>
        <message>
            <source>Shortest time between retries</source>
            <translation>Délai minimal entre deux tentatives</translation>
        </message>
        <message>
            <source>Tell the sender after (0: never)</source>
            <translation>Prévenir l'expéditeur après (0 : jamais)</translation>
        </message>
        <message>
            <source>Warn me of a hold after</source>
            <translation>M'avertir d'une mise en attente après</translation>
        </message>
        <message>
            <source>Keep logs for (days, 0: always)</source>
            <translation>Conserver les journaux (jours, 0 : toujours)</translation>
        </message>
        <message>
            <source>Confirmation emails</source>
            <translation>E-mails de confirmation</translation>
        </message>
        <message>
            <source>Wait for deliveries when stopping</source>
            <translation>Attente des remises à l'arrêt</translation>
        </message>
        <message>
            <source>Allowed sender domains</source>
            <translation>Domaines d'expéditeur autorisés</translation>
        </message>
        <message>
            <source>empty: the domains the Outbound rules name</source>
            <translation>vide : les domaines que nomment les règles Outbound</translation>
        </message>
        <message>
            <source>Refuse mail failing DMARC p=reject</source>
            <translation>Refuser le courrier en échec DMARC p=reject</translation>
        </message>
        <message>
            <source>ARC sealing domain</source>
            <translation>Domaine de scellement ARC</translation>
        </message>
        <message>
            <source>ARC-seal which messages</source>
            <translation>Sceller avec ARC quels messages</translation>
        </message>
        <message>
            <source>Verify recipients at the target</source>
            <translation>Vérifier les destinataires auprès de la cible</translation>
        </message>
        <message>
            <source>Domains never verified</source>
            <translation>Domaines jamais vérifiés</translation>
        </message>
        <message>
            <source>Remember accepted recipients for</source>
            <translation>Mémoriser les destinataires acceptés pendant</translation>
        </message>
        <message>
            <source>Remember refused recipients for</source>
            <translation>Mémoriser les destinataires refusés pendant</translation>
        </message>
        <message>
            <source>Verification probes per next hop</source>
            <translation>Sondes de vérification par prochain saut</translation>
        </message>
        <message>
            <source>Wave check probes per minute</source>
            <translation>Sondes de vérification d'une vague par minute</translation>
        </message>
        <message>
            <source>Sender of verification probes</source>
            <translation>Expéditeur des sondes de vérification</translation>
        </message>
        <message>
            <source>Commands without mail per session</source>
            <translation>Commandes sans courrier par session</translation>
        </message>
    </context>
    <context>
        <name>SettingsSchema</name>
        <message>
            <source>Address and port the relay listens on for SMTP.</source>
            <translation>Adresse et port sur lesquels le relais écoute en SMTP.</translation>
        </message>
        <message>
            <source>The relay's public IP address(es) as other mail servers see it, for the SPF readiness check; empty means the addresses of relay.hostname.</source>
            <translation>Adresse(s) IP publique(s) du relais telles que les autres serveurs de messagerie la voient, pour la vérification SPF ; vide signifie les adresses de relay.hostname.</translation>
        </message>
        <message>
            <source>The administrator's address: mail to postmaster and push confirmations go there.</source>
            <translation>Adresse de l'administrateur : le courrier pour postmaster et les confirmations de publication y sont envoyés.</translation>
        </message>
        <message>
            <source>A message with more Received: fields than this is refused as a mail loop (554 5.4.6).</source>
            <translation>Un message comportant plus de champs Received: que cette valeur est refusé comme boucle de messagerie (554 5.4.6).</translation>
        </message>
        <message>
            <source>Networks whose clients may relay to any recipient, their senders rewritten by the Outbound area.</source>
            <translation>Réseaux dont les clients peuvent relayer vers n'importe quel destinataire, leurs expéditeurs étant réécrits par la zone Outbound.</translation>
        </message>
        <message>
            <source>Next hop for all mail without a per-domain route; empty means MX look-up in DNS.</source>
            <translation>Prochain saut pour tout courrier sans route par domaine ; vide signifie recherche MX dans le DNS.</translation>
        </message>
        <message>
            <source>Maximum simultaneous connections to one next hop.</source>
            <translation>Nombre maximal de connexions simultanées vers un même prochain saut.</translation>
        </message>
        <message>
            <source>Delays after the first attempt at which a temporarily failed delivery is retried before it bounces.</source>
            <translation>Délais après la première tentative auxquels une remise en échec temporaire est retentée avant d'être renvoyée à l'expéditeur.</translation>
        </message>
        <message>
            <source>Largest message accepted, in bytes (35M and 35MiB are accepted as input).</source>
            <translation>Taille maximale d'un message accepté, en octets (35M et 35MiB sont acceptés en saisie).</translation>
        </message>
        <message>
            <source>Most recipients accepted in one message.</source>
            <translation>Nombre maximal de destinataires acceptés dans un message.</translation>
        </message>
        <message>
            <source>Longest SMTP command line accepted, in octets.</source>
            <translation>Ligne de commande SMTP la plus longue acceptée, en octets.</translation>
        </message>
        <message>
            <source>Longest line of message text accepted, in octets.</source>
            <translation>Ligne de texte de message la plus longue acceptée, en octets.</translation>
        </message>
        <message>
            <source>Most concurrent SMTP sessions.</source>
            <translation>Nombre maximal de sessions SMTP simultanées.</translation>
        </message>
        <message>
            <source>Most concurrent SMTP sessions from one client address.</source>
            <translation>Nombre maximal de sessions SMTP simultanées depuis une même adresse client.</translation>
        </message>
        <message>
            <source>Seconds the relay waits for an SMTP command.</source>
            <translation>Secondes pendant lesquelles le relais attend une commande SMTP.</translation>
        </message>
        <message>
            <source>Seconds the relay waits for the message text after DATA.</source>
            <translation>Secondes pendant lesquelles le relais attend le texte du message après DATA.</translation>
        </message>
        <message>
            <source>Protocol errors tolerated before a session is closed.</source>
            <translation>Erreurs de protocole tolérées avant la fermeture d'une session.</translation>
        </message>
        <message>
            <source>PEM certificate chain offered with STARTTLS; empty means STARTTLS is not offered.</source>
            <translation>Chaîne de certificats PEM proposée avec STARTTLS ; vide signifie que STARTTLS n'est pas proposé.</translation>
        </message>
        <message>
            <source>PEM private key of the certificate; a passphrase lives in the keychain.</source>
            <translation>Clé privée PEM du certificat ; une éventuelle phrase secrète est conservée dans le trousseau.</translation>
        </message>
        <message>
            <source>Clients that must use STARTTLS before MAIL (else 530 5.7.0): no, allowed_clients (the outbound.allowed_clients networks) or all; needs tls.certificate and tls.key.</source>
            <translation>Clients qui doivent utiliser STARTTLS avant MAIL (sinon 530 5.7.0) : no, allowed_clients (les réseaux de outbound.allowed_clients) ou all ; nécessite tls.certificate et tls.key.</translation>
        </message>
        <message>
            <source>User name for SMTP AUTH at the smart host; the password lives in the operating system's keychain.</source>
            <translation>Nom d'utilisateur pour SMTP AUTH auprès de l'hôte actif ; le mot de passe est conservé dans le trousseau du système d'exploitation.</translation>
        </message>
        <message>
            <source>TLS towards MX hosts and routes without a policy of their own: may (STARTTLS when offered), encrypt (TLS required) or verify (TLS required, certificate and host name checked).</source>
            <translation>TLS vers les hôtes MX et les routes sans stratégie propre : may (STARTTLS s'il est proposé), encrypt (TLS obligatoire) ou verify (TLS obligatoire, certificat et nom d'hôte vérifiés).</translation>
        </message>
        <message>
            <source>TLS towards the smart host: may, encrypt or verify (SMTP AUTH is only ever sent inside TLS).</source>
            <translation>TLS vers l'hôte actif : may, encrypt ou verify (SMTP AUTH n'est jamais envoyé qu'à l'intérieur de TLS).</translation>
        </message>
        <message>
            <source>PEM file of extra certificate authorities trusted under the verify policy, besides the system's.</source>
            <translation>Fichier PEM d'autorités de certification supplémentaires approuvées avec la stratégie verify, en plus de celles du système.</translation>
        </message>
        <message>
            <source>Whether addresses in To:/Cc: are rewritten along with the envelope recipients: unsigned (only where no valid DKIM signature of the sender covers the field, so signed mail stays valid), always (breaks such signatures) or never.</source>
            <translation>Si les adresses de To:/Cc: sont réécrites avec les destinataires de l'enveloppe : unsigned (seulement là où aucune signature DKIM valide de l'expéditeur ne couvre le champ, le courrier signé reste donc valide), always (casse ces signatures) ou never.</translation>
        </message>
        <message>
            <source>Whether addresses in From:/Sender:/Reply-To: of the Outbound area's clients are rewritten along with the envelope sender: yes or no.</source>
            <translation>Si les adresses de From:/Sender:/Reply-To: des clients de la zone Sortant sont réécrites avec l'expéditeur de l'enveloppe : yes ou no.</translation>
        </message>
        <message>
            <source>Shortest time between two scheduled attempts for a recipient, also after a long stop of the relay.</source>
            <translation>Délai le plus court entre deux tentatives planifiées pour un destinataire, y compris après un long arrêt du relais.</translation>
        </message>
        <message>
            <source>After this long in the queue the sender gets one delay notice (a DSN that says delayed); 0 means never.</source>
            <translation>Après ce délai dans la file d'attente, l'expéditeur reçoit un seul avis de retard (une DSN « delayed ») ; 0 signifie jamais.</translation>
        </message>
        <message>
            <source>After a domain has been on hold this long the administrator is warned (log and relay.postmaster).</source>
            <translation>Après cette durée de mise en attente d'un domaine, l'administrateur est averti (journal et relay.postmaster).</translation>
        </message>
        <message>
            <source>Days the message log and the action log are kept; older entries are deleted daily, 0 keeps them forever.</source>
            <translation>Nombre de jours de conservation du journal des messages et du journal des actions ; les entrées plus anciennes sont supprimées chaque jour, 0 les conserve toujours.</translation>
        </message>
        <message>
            <source>Fully qualified host name the relay uses in its greeting, Received: fields and bounces; empty means this machine's host name, with .localdomain appended when it has no domain.</source>
            <translation>Nom d'hôte complet (FQDN) que le relais utilise dans sa bannière, les champs Received: et les notifications de non-remise ; vide signifie le nom d'hôte de cette machine, suivi de .localdomain s'il n'a pas de domaine.</translation>
        </message>
        <message>
            <source>Seconds a stopping relay waits for deliveries in progress to get their answer before it exits.</source>
            <translation>Secondes pendant lesquelles un relais qui s'arrête attend la réponse des remises en cours avant de se terminer.</translation>
        </message>
        <message>
            <source>Confirmation emails to relay.postmaster after each push and user list upload: auto (when relay.postmaster is set), on or off.</source>
            <translation>E-mails de confirmation à relay.postmaster après chaque push et chaque import de liste d'utilisateurs : auto (quand relay.postmaster est défini), on ou off.</translation>
        </message>
        <message>
            <source>Envelope sender domains for which allowed clients may relay to any recipient (others get 550 5.7.1); empty means the domains the Outbound rules name.</source>
            <translation>Domaines d'expéditeur d'enveloppe pour lesquels les clients autorisés peuvent relayer vers n'importe quel destinataire (les autres reçoivent 550 5.7.1) ; vide signifie les domaines que nomment les règles Outbound.</translation>
        </message>
        <message>
            <source>Whether mail from clients outside outbound.allowed_clients that fails DMARC under its domain's p=reject is refused (550 5.7.1) at the end of DATA: no (the target tenant decides; the verdicts go to Authentication-Results and the log) or yes.</source>
            <translation>Si le courrier des clients hors de outbound.allowed_clients qui échoue à DMARC sous le p=reject de son domaine est refusé (550 5.7.1) à la fin de DATA : no (le tenant cible décide ; les verdicts vont dans Authentication-Results et dans le journal) ou yes.</translation>
        </message>
        <message>
            <source>Which messages get an ARC seal once arc.domain has an active key: modified (those whose headers the relay rewrote), always or off.</source>
            <translation>Quels messages reçoivent un sceau ARC dès que arc.domain a une clé active : modified (ceux dont le relais a réécrit les en-têtes), always (toujours) ou off (jamais).</translation>
        </message>
        <message>
            <source>Recipient domains that are never verified at their target (mailroutectl verify exclude DOMAIN).</source>
            <translation>Domaines de destinataires jamais vérifiés auprès de leur cible (mailroutectl verify exclude DOMAINE).</translation>
        </message>
        <message>
            <source>How long a recipient the target accepted is remembered without asking again.</source>
            <translation>Durée pendant laquelle un destinataire accepté par la cible est mémorisé sans redemander.</translation>
        </message>
        <message>
            <source>How long a recipient the target refused is remembered without asking again.</source>
            <translation>Durée pendant laquelle un destinataire refusé par la cible est mémorisé sans redemander.</translation>
        </message>
        <message>
            <source>Most recipient verification probes to one next hop at the same time.</source>
            <translation>Nombre maximal de sondes de vérification simultanées vers un même prochain saut.</translation>
        </message>
        <message>
            <source>Most recipient probes per minute when a migration wave is checked; 0 checks waves without probing their targets.</source>
            <translation>Nombre maximal de sondes de destinataires par minute lors de la vérification d'une vague de migration ; 0 vérifie les vagues sans sonder leurs cibles.</translation>
        </message>
        <message>
            <source>Envelope sender of recipient verification probes; empty means the null sender &lt;&gt;.</source>
            <translation>Expéditeur d'enveloppe des sondes de vérification ; vide signifie l'expéditeur nul &lt;&gt;.</translation>
        </message>
        <message>
            <source>Domain whose active DKIM key seals forwarded mail with ARC, so that the target tenant can trust the results the relay saw; empty means no ARC sealing.</source>
            <translation>Domaine dont la clé DKIM active scelle avec ARC le courrier transféré, pour que le locataire cible puisse se fier aux résultats constatés par le relais ; vide signifie pas de scellement ARC.</translation>
        </message>
        <message>
            <source>Whether the relay asks the target server if it would take an Inbound or Relay recipient before accepting it at RCPT: inbound (Inbound and Relay recipients) or off.</source>
            <translation>Si le relais demande au serveur cible s'il accepterait un destinataire Inbound ou Relay avant de l'accepter au RCPT : inbound (destinataires Inbound et Relay) ou off.</translation>
        </message>
        <message>
            <source>NOOP, RSET, VRFY and unknown commands a session may send without delivering a message; the next one closes it (421 4.7.0).</source>
            <translation>Commandes NOOP, RSET, VRFY et inconnues qu'une session peut envoyer sans remettre de message ; la suivante la ferme (421 4.7.0).</translation>
        </message>
    </context>
    <context>
        <name>UserListExport</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>Impossible d'écrire %1 : %2</translation>
        </message>
    </context>
    <context>
        <name>mailroute::AboutDialog</name>
        <message>
            <source>%1 (built with %2)</source>
            <translation>%1 (compilé avec %2)</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>inconnu</translation>
        </message>
        <message>
            <source>About MailRoute</source>
            <translation>À propos de MailRoute</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>Version %1</translation>
        </message>
        <message>
            <source>Mail routing console with a bundled SMTP relay for mailbox migrations.</source>
            <translation>Console de routage du courrier avec relais SMTP intégré, pour les migrations de boîtes aux lettres.</translation>
        </message>
        <message>
            <source>MailRoute uses these libraries:</source>
            <translation>MailRoute utilise ces bibliothèques :</translation>
        </message>
        <message>
            <source>Library</source>
            <translation>Bibliothèque</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>Licence</source>
            <translation>Licence</translation>
        </message>
        <message>
            <source>&amp;Copy to Clipboard</source>
            <translation>&amp;Copier dans le presse-papiers</translation>
        </message>
        <message>
            <source>Copy the version and library details, for a bug report</source>
            <translation>Copier la version et le détail des bibliothèques, pour un rapport de bogue</translation>
        </message>
        <message>
            <source>Public domain</source>
            <translation>Domaine public</translation>
        </message>
        <message>
            <source>(commit %1, built %2)</source>
            <translation>(commit %1, compilé le %2)</translation>
        </message>
        <message>
            <source>(built %1)</source>
            <translation>(compilé le %1)</translation>
        </message>
        <message>
            <source>MailRoute has not been published under a licence yet: all rights reserved by its authors.</source>
            <translation>MailRoute n'a pas encore été publié sous une licence : tous droits réservés à ses auteurs.</translation>
        </message>
        <message>
            <source>MailRoute is licensed under %1.</source>
            <translation>MailRoute est distribué sous licence %1.</translation>
        </message>
        <message>
            <source>They are used as shared libraries, as installed with MailRoute or by the operating system, which also provides their source code and licence texts.</source>
            <translation>Elles sont utilisées comme bibliothèques partagées, telles qu'installées avec MailRoute ou par le système d'exploitation, qui fournit aussi leur code source et les textes de leurs licences.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ActionLogModel</name>
        <message>
            <source>Time</source>
            <translation>Heure</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Message</translation>
        </message>
    </context>
    <context>
        <name>mailroute::AddressTesterPage</name>
        <message>
            <source>%1 (%2), which is not valid: %3</source>
            <translation>%1 (%2), qui n'est pas valide : %3</translation>
        </message>
        <message>
            <source>%1 port %2 (%3)</source>
            <translation>%1 port %2 (%3)</translation>
        </message>
        <message>
            <source>host %1 port %2, no MX look-up (%3)</source>
            <translation>hôte %1 port %2, sans recherche MX (%3)</translation>
        </message>
        <message>
            <source>MX of %1, port %2 (%3)</source>
            <translation>MX de %1, port %2 (%3)</translation>
        </message>
        <message>
            <source>No rule matches: the address stays as it is.</source>
            <translation>Aucune règle ne correspond : l'adresse reste telle quelle.</translation>
        </message>
        <message>
            <source>%1 %2 mapping %3 → %4</source>
            <translation>mappage %2 %1 %3 → %4</translation>
        </message>
        <message>
            <source>user</source>
            <translation>d'utilisateur</translation>
        </message>
        <message>
            <source>domain</source>
            <translation>de domaine</translation>
        </message>
        <message>
            <source>Recipient (for the next hop):</source>
            <translation>Destinataire (pour le prochain saut) :</translation>
        </message>
        <message>
            <source>Address tester</source>
            <translation>Testeur d'adresse</translation>
        </message>
        <message>
            <source>Where does this address go? Type an address to see the rule that fires, the address the relay makes of it, and the next hop it would deliver to.</source>
            <translation>Où va cette adresse ? Saisissez une adresse pour voir la règle qui s'applique, l'adresse qu'en fait le relais et le prochain saut vers lequel il la remettrait.</translation>
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
            <translation>Entrant : courrier envoyé à cette adresse</translation>
        </message>
        <message>
            <source>Outgoing: mail sent by this address (from an allowed client)</source>
            <translation>Sortant : courrier envoyé par cette adresse (depuis un client autorisé)</translation>
        </message>
        <message>
            <source>Draft (what the next push makes active)</source>
            <translation>Brouillon (ce que la prochaine publication activera)</translation>
        </message>
        <message>
            <source>Active generation (what the relay does now)</source>
            <translation>Génération active (ce que fait le relais maintenant)</translation>
        </message>
        <message>
            <source>someone@partner.example</source>
            <translation>quelquun@partenaire.example</translation>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation>&amp;Adresse :</translation>
        </message>
        <message>
            <source>&amp;Direction:</source>
            <translation>&amp;Sens :</translation>
        </message>
        <message>
            <source>&amp;Configuration:</source>
            <translation>&amp;Configuration :</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>Résultat</translation>
        </message>
        <message>
            <source>Verdict:</source>
            <translation>Verdict :</translation>
        </message>
        <message>
            <source>Rule:</source>
            <translation>Règle :</translation>
        </message>
        <message>
            <source>Rewritten to:</source>
            <translation>Réécrite en :</translation>
        </message>
        <message>
            <source>Next hop:</source>
            <translation>Prochain saut :</translation>
        </message>
        <message>
            <source>Compiling the rules…</source>
            <translation>Compilation des règles…</translation>
        </message>
        <message>
            <source>Nothing has been pushed yet: there is no active generation.</source>
            <translation>Rien n'a encore été publié : il n'y a pas de génération active.</translation>
        </message>
        <message>
            <source>Testing generation %1.</source>
            <translation>Test de la génération %1.</translation>
        </message>
        <message>
            <source>Testing the draft.</source>
            <translation>Test du brouillon.</translation>
        </message>
        <message>
            <source>route for %1</source>
            <translation>route pour %1</translation>
        </message>
        <message>
            <source>smart host</source>
            <translation>hôte actif</translation>
        </message>
        <message>
            <source>MX of %1 (DNS look-up)</source>
            <translation>MX de %1 (recherche DNS)</translation>
        </message>
        <message>
            <source>Type an address above.</source>
            <translation>Saisissez une adresse ci-dessus.</translation>
        </message>
        <message>
            <source>Not a valid address: %1</source>
            <translation>Adresse non valide : %1</translation>
        </message>
        <message>
            <source>Refused with 550 5.7.1: no Inbound or Relay rule matches, and the relay is not an open relay. (A client in the outbound allow-list may still send to it, unchanged.)</source>
            <translation>Refusée avec 550 5.7.1 : aucune règle Inbound ou Relay ne correspond, et le relais n'est pas un relais ouvert. (Un client de la liste d'autorisation sortante peut tout de même y envoyer, sans modification.)</translation>
        </message>
        <message>
            <source>for allowed clients</source>
            <translation>pour les clients autorisés</translation>
        </message>
        <message>
            <source>Accepted (%1 area)</source>
            <translation>Acceptée (zone %1)</translation>
        </message>
        <message>
            <source>Depends on the recipient: type one above.</source>
            <translation>Dépend du destinataire : saisissez-en un ci-dessus.</translation>
        </message>
        <message>
            <source>The recipient is not a valid address: %1</source>
            <translation>Le destinataire n'est pas une adresse valide : %1</translation>
        </message>
        <message>
            <source>(the recipient becomes %1)</source>
            <translation>(le destinataire devient %1)</translation>
        </message>
        <message>
            <source>Sent unchanged (no Outbound rule matches the sender)</source>
            <translation>Envoyé sans modification (aucune règle Outbound ne correspond à l'expéditeur)</translation>
        </message>
        <message>
            <source>Sender rewritten (Outbound area)</source>
            <translation>Expéditeur réécrit (zone Outbound)</translation>
        </message>
        <message>
            <source>Would the target accept this?</source>
            <translation>La cible l'accepterait-elle ?</translation>
        </message>
        <message>
            <source>Asks the rewritten address's next hop at RCPT, as the relay does before accepting an Inbound or Relay recipient. No message is sent.</source>
            <translation>Interroge le prochain saut de l'adresse réécrite au RCPT, comme le fait le relais avant d'accepter un destinataire Inbound ou Relay. Aucun message n'est envoyé.</translation>
        </message>
        <message>
            <source>Only recipients are verified: choose Incoming.</source>
            <translation>Seuls les destinataires sont vérifiés : choisissez Entrant.</translation>
        </message>
        <message>
            <source>Type a valid address above.</source>
            <translation>Saisissez une adresse valide ci-dessus.</translation>
        </message>
        <message>
            <source>Asking the target…</source>
            <translation>Interrogation de la cible…</translation>
        </message>
        <message>
            <source>the next hop</source>
            <translation>le prochain saut</translation>
        </message>
        <message>
            <source>Yes: %1 accepts %2 (%3).</source>
            <translation>Oui : %1 accepte %2 (%3).</translation>
        </message>
        <message>
            <source>No: %1 refuses %2 (%3). The relay answers 550 5.1.1 at RCPT, so nothing is bounced.</source>
            <translation>Non : %1 refuse %2 (%3). Le relais répond 550 5.1.1 au RCPT, donc rien n'est renvoyé à l'expéditeur.</translation>
        </message>
        <message>
            <source>Cannot tell: %1. The relay answers 450 4.1.1 at RCPT and the sender retries later.</source>
            <translation>Impossible de savoir : %1. Le relais répond 450 4.1.1 au RCPT et l'expéditeur réessaie plus tard.</translation>
        </message>
        <message>
            <source>Not asked: %1.</source>
            <translation>Non demandé : %1.</translation>
        </message>
        <message>
            <source>No Inbound or Relay rule matches: the relay does not verify it.</source>
            <translation>Aucune règle Inbound ou Relay ne correspond : le relais ne la vérifie pas.</translation>
        </message>
        <message>
            <source>Recipient verification is off (verify.recipients).</source>
            <translation>La vérification des destinataires est désactivée (verify.recipients).</translation>
        </message>
        <message>
            <source>Its domain is excluded from verification (verify.exclude_domains).</source>
            <translation>Son domaine est exclu de la vérification (verify.exclude_domains).</translation>
        </message>
    </context>
    <context>
        <name>mailroute::AreaConfigPage</name>
        <message>
            <source>%1 — Configuration</source>
            <translation>%1 — Configuration</translation>
        </message>
        <message>
            <source>Short-term domain moves between tenants (about 48 hours): recipients of the original domain are redirected to the same user at the new domain.</source>
            <translation>Déplacements de domaine de courte durée entre locataires (environ 48 heures) : les destinataires du domaine d'origine sont redirigés vers le même utilisateur du nouveau domaine.</translation>
        </message>
        <message>
            <source>Routing during a staged migration or coexistence: each recipient goes to the mailbox where the user lives today. A user mapping wins over its domain's mapping.</source>
            <translation>Routage pendant une migration par étapes ou une coexistence : chaque destinataire va vers la boîte aux lettres où se trouve l'utilisateur aujourd'hui. Un mappage d'utilisateur l'emporte sur le mappage de son domaine.</translation>
        </message>
        <message>
            <source>Mail systems send through the relay so that senders keep the address the world knows: senders are rewritten. A user mapping wins over its domain's mapping.</source>
            <translation>Les systèmes de messagerie envoient via le relais pour que les expéditeurs gardent l'adresse que le monde connaît : les expéditeurs sont réécrits. Un mappage d'utilisateur l'emporte sur le mappage de son domaine.</translation>
        </message>
        <message>
            <source>Domain mappings</source>
            <translation>Mappages de domaine</translation>
        </message>
        <message>
            <source>Filter domains</source>
            <translation>Filtrer les domaines</translation>
        </message>
        <message>
            <source>No domain mappings yet.
Use Domains ▸ Create Domain Mapping to redirect a whole domain (@old.example → @new.example).</source>
            <translation>Aucun mappage de domaine pour l'instant.
Utilisez Domaines ▸ Créer un mappage de domaine pour rediriger un domaine entier (@ancien.example → @nouveau.example).</translation>
        </message>
        <message>
            <source>Domain mapping changed. Push to apply it to the relay.</source>
            <translation>Mappage de domaine modifié. Publiez pour l'appliquer au relais.</translation>
        </message>
        <message>
            <source>User mappings</source>
            <translation>Mappages d'utilisateur</translation>
        </message>
        <message>
            <source>Filter users (source or target contains…)</source>
            <translation>Filtrer les utilisateurs (la source ou la cible contient…)</translation>
        </message>
        <message>
            <source>No user mappings yet.
Use Users ▸ Upload CSV (or drop a .csv file here) for a whole list, or Users ▸ Create User Mapping for one.</source>
            <translation>Aucun mappage d'utilisateur pour l'instant.
Utilisez Utilisateurs ▸ Importer un fichier CSV (ou déposez un fichier .csv ici) pour une liste entière, ou Utilisateurs ▸ Créer un mappage d'utilisateur pour un seul.</translation>
        </message>
        <message>
            <source>User mapping changed. Push to apply it to the relay.</source>
            <translation>Mappage d'utilisateur modifié. Publiez pour l'appliquer au relais.</translation>
        </message>
        <message>
            <source>Create Domain Mapping…</source>
            <translation>Créer un mappage de domaine…</translation>
        </message>
        <message>
            <source>Delete Domain Mapping(s)…</source>
            <translation>Supprimer des mappages de domaine…</translation>
        </message>
        <message>
            <source>Upload CSV…</source>
            <translation>Importer un fichier CSV…</translation>
        </message>
        <message>
            <source>Download sample CSV…</source>
            <translation>Télécharger un exemple de CSV…</translation>
        </message>
        <message>
            <source>Export UserList…</source>
            <translation>Exporter la liste des utilisateurs…</translation>
        </message>
        <message>
            <source>Create User Mapping…</source>
            <translation>Créer un mappage d'utilisateur…</translation>
        </message>
        <message>
            <source>Delete User(s) Mapping…</source>
            <translation>Supprimer des mappages d'utilisateur…</translation>
        </message>
        <message>
            <source>&amp;Domains</source>
            <translation>&amp;Domaines</translation>
        </message>
        <message>
            <source>&amp;Users</source>
            <translation>&amp;Utilisateurs</translation>
        </message>
        <message>
            <source>&amp;Push</source>
            <translation>&amp;Publier</translation>
        </message>
        <message>
            <source>Review what changed since the last push, then make it active in the relay</source>
            <translation>Vérifier ce qui a changé depuis la dernière publication, puis l'activer dans le relais</translation>
        </message>
        <message>
            <source>Unpushed changes</source>
            <translation>Modifications non publiées</translation>
        </message>
        <message>
            <source>Checking for unpushed changes…</source>
            <translation>Recherche de modifications non publiées…</translation>
        </message>
        <message>
            <source>Everything is pushed</source>
            <translation>Tout est publié</translation>
        </message>
        <message>
            <source>Nothing to push yet</source>
            <translation>Rien à publier pour l'instant</translation>
        </message>
        <message>
            <source>%1 unpushed change(s)</source>
            <translation>Modifications non publiées : %1</translation>
        </message>
        <message numerus="yes">
            <source>%n domain mapping(s)</source>
            <translation>
                <numerusform>%n mappage de domaine</numerusform>
                <numerusform>%n mappages de domaine</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 of %n domain mapping(s) match</source>
            <translation>
                <numerusform>%1 sur %n mappage de domaine correspond</numerusform>
                <numerusform>%1 sur %n mappages de domaine correspondent</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n checked</source>
            <translation>
                <numerusform>%n coché</numerusform>
                <numerusform>%n cochés</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 user mapping(s)</source>
            <translation>Mappages d'utilisateur : %1</translation>
        </message>
        <message>
            <source>%1 of %2 user mapping(s) match</source>
            <translation>%1 mappage(s) d'utilisateur sur %2 correspondent</translation>
        </message>
        <message>
            <source>Start here: create a domain mapping (Domains ▸ Create Domain Mapping) or upload your user list (Users ▸ Upload CSV; Users ▸ Download sample CSV shows the format). Then click Push to make the rules active.</source>
            <translation>Commencez ici : créez un mappage de domaine (Domaines ▸ Créer un mappage de domaine) ou importez votre liste d'utilisateurs (Utilisateurs ▸ Importer un fichier CSV ; Utilisateurs ▸ Télécharger un exemple de CSV montre le format). Cliquez ensuite sur Publier pour activer les règles.</translation>
        </message>
        <message>
            <source>Start here: create a domain mapping (Domains ▸ Create Domain Mapping) for a domain that moves between tenants, then click Push to make it active.</source>
            <translation>Commencez ici : créez un mappage de domaine (Domaines ▸ Créer un mappage de domaine) pour un domaine qui passe d'un locataire à un autre, puis cliquez sur Publier pour l'activer.</translation>
        </message>
        <message>
            <source>Domain mapping %1 → %2 created. Push to apply it to the relay.</source>
            <translation>Mappage de domaine %1 → %2 créé. Publiez pour l'appliquer au relais.</translation>
        </message>
        <message>
            <source>User mapping %1 → %2 created. Push to apply it to the relay.</source>
            <translation>Mappage d'utilisateur %1 → %2 créé. Publiez pour l'appliquer au relais.</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Supprimer</translation>
        </message>
        <message>
            <source>The relay keeps the current rules until you push.</source>
            <translation>Le relais conserve les règles actuelles jusqu'à ce que vous publiiez.</translation>
        </message>
        <message>
            <source>Check the domain mappings to delete first (the box in front of each row), or select rows.</source>
            <translation>Cochez d'abord les mappages de domaine à supprimer (la case devant chaque ligne), ou sélectionnez des lignes.</translation>
        </message>
        <message>
            <source>Delete the domain mapping of %1?</source>
            <translation>Supprimer le mappage de domaine de %1 ?</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n domain mapping(s)?</source>
            <translation>
                <numerusform>Supprimer %n mappage de domaine ?</numerusform>
                <numerusform>Supprimer %n mappages de domaine ?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n domain mapping(s) deleted. Push to apply.</source>
            <translation>
                <numerusform>%n mappage de domaine supprimé. Publiez pour appliquer.</numerusform>
                <numerusform>%n mappages de domaine supprimés. Publiez pour appliquer.</numerusform>
            </translation>
        </message>
        <message>
            <source>Check the user mappings to delete first (the box in front of each row), or select rows.</source>
            <translation>Cochez d'abord les mappages d'utilisateur à supprimer (la case devant chaque ligne), ou sélectionnez des lignes.</translation>
        </message>
        <message>
            <source>Delete the user mapping of %1?</source>
            <translation>Supprimer le mappage d'utilisateur de %1 ?</translation>
        </message>
        <message>
            <source>Delete %1 user mappings?</source>
            <translation>Supprimer %1 mappages d'utilisateur ?</translation>
        </message>
        <message numerus="yes">
            <source>%n user mapping(s) deleted. Push to apply.</source>
            <translation>
                <numerusform>%n mappage d'utilisateur supprimé. Publiez pour appliquer.</numerusform>
                <numerusform>%n mappages d'utilisateur supprimés. Publiez pour appliquer.</numerusform>
            </translation>
        </message>
        <message>
            <source>Upload CSV — replaces the %1 user list</source>
            <translation>Importer un fichier CSV — remplace la liste des utilisateurs %1</translation>
        </message>
        <message>
            <source>User list replaced: %1 new, %2 changed, %3 removed. Push to apply it to the relay.</source>
            <translation>Liste des utilisateurs remplacée : %1 nouveaux, %2 modifiés, %3 supprimés. Publiez pour l'appliquer au relais.</translation>
        </message>
        <message>
            <source>Save sample CSV</source>
            <translation>Enregistrer l'exemple de CSV</translation>
        </message>
        <message>
            <source>Sample saved to %1. Fill in one line per user and upload it with Users ▸ Upload CSV.</source>
            <translation>Exemple enregistré dans %1. Remplissez une ligne par utilisateur et importez-le avec Utilisateurs ▸ Importer un fichier CSV.</translation>
        </message>
        <message>
            <source>Export the %1 user list</source>
            <translation>Exporter la liste des utilisateurs %1</translation>
        </message>
        <message>
            <source>Exporting to %1…</source>
            <translation>Exportation vers %1…</translation>
        </message>
        <message>
            <source>%1 user mapping(s) exported to %2.</source>
            <translation>Mappages d'utilisateur exportés vers %2 : %1.</translation>
        </message>
        <message>
            <source>Filter domain mappings</source>
            <translation>Filtrer les mappages de domaine</translation>
        </message>
        <message>
            <source>Shows only the domain mappings that contain this text.</source>
            <translation>N'affiche que les mappages de domaine qui contiennent ce texte.</translation>
        </message>
        <message>
            <source>One domain mapping per row. F2 edits a cell, Space checks a row, Delete deletes the checked or selected rows.</source>
            <translation>Un mappage de domaine par ligne. F2 modifie une cellule, Espace coche une ligne, Suppr supprime les lignes cochées ou sélectionnées.</translation>
        </message>
        <message>
            <source>Filter user mappings</source>
            <translation>Filtrer les mappages d'utilisateur</translation>
        </message>
        <message>
            <source>Shows only the user mappings whose source or target contains this text.</source>
            <translation>N'affiche que les mappages d'utilisateur dont la source ou la cible contient ce texte.</translation>
        </message>
        <message>
            <source>One user mapping per row. F2 edits a cell, Space checks a row, Delete deletes the checked or selected rows.</source>
            <translation>Un mappage d'utilisateur par ligne. F2 modifie une cellule, Espace coche une ligne, Suppr supprime les lignes cochées ou sélectionnées.</translation>
        </message>
        <message>
            <source>Menu: create or delete domain mappings</source>
            <translation>Menu : créer ou supprimer des mappages de domaine</translation>
        </message>
        <message>
            <source>Menu: upload, export or download a sample CSV, create or delete user mappings</source>
            <translation>Menu : importer, exporter ou télécharger un exemple de CSV, créer ou supprimer des mappages d'utilisateur</translation>
        </message>
    </context>
    <context>
        <name>mailroute::AreaLogsPage</name>
        <message>
            <source>&amp;Follow</source>
            <translation>&amp;Suivre</translation>
        </message>
        <message>
            <source>P&amp;ause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>%1 — Logs</source>
            <translation>%1 — Journaux</translation>
        </message>
        <message>
            <source>Keep the newest line in view</source>
            <translation>Garder la ligne la plus récente visible</translation>
        </message>
        <message>
            <source>Freeze the list to read it; new lines wait and appear when you resume</source>
            <translation>Figer la liste pour la lire ; les nouvelles lignes attendent et apparaissent à la reprise</translation>
        </message>
        <message>
            <source>%1 messages</source>
            <translation>Messages %1</translation>
        </message>
        <message>
            <source>All messages</source>
            <translation>Tous les messages</translation>
        </message>
        <message>
            <source>All events</source>
            <translation>Tous les événements</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Reçus</translation>
        </message>
        <message>
            <source>Rewritten</source>
            <translation>Réécrits</translation>
        </message>
        <message>
            <source>Delivered</source>
            <translation>Remis</translation>
        </message>
        <message>
            <source>Deferred</source>
            <translation>Différés</translation>
        </message>
        <message>
            <source>Bounced</source>
            <translation>Non remis</translation>
        </message>
        <message>
            <source>Errors</source>
            <translation>Erreurs</translation>
        </message>
        <message>
            <source>Filter: address, queue id, host, reply…</source>
            <translation>Filtre : adresse, ID de file d'attente, hôte, réponse…</translation>
        </message>
        <message>
            <source>&amp;Export CSV…</source>
            <translation>&amp;Exporter en CSV…</translation>
        </message>
        <message>
            <source>No mail yet.
Lines appear here live once the relay is active (Relay service ▸ Settings &amp; Activation ▸ Activate) and mail arrives. Older lines stay in the database; mailroutectl logs shows them.</source>
            <translation>Aucun courrier pour l'instant.
Les lignes apparaissent ici en direct dès que le relais est actif (Service de relais ▸ Paramètres et activation ▸ Activer) et que du courrier arrive. Les lignes plus anciennes restent dans la base de données ; mailroutectl logs les affiche.</translation>
        </message>
        <message>
            <source>Live message log</source>
            <translation>Journal des messages en direct</translation>
        </message>
        <message>
            <source>Nothing logged yet.
Every change to the %1 mappings and every push is listed here, whether made in the console or with mailroutectl.</source>
            <translation>Rien n'a encore été journalisé.
Chaque modification des mappages %1 et chaque publication apparaissent ici, qu'elles soient faites dans la console ou avec mailroutectl.</translation>
        </message>
        <message>
            <source>Action log</source>
            <translation>Journal des actions</translation>
        </message>
        <message>
            <source>Res&amp;ume</source>
            <translation>&amp;Reprendre</translation>
        </message>
        <message>
            <source>%1 of %2 line(s) shown; the newest %3 are kept</source>
            <translation>%1 ligne(s) affichée(s) sur %2 ; les %3 plus récentes sont conservées</translation>
        </message>
        <message>
            <source>paused, %1 new line(s) waiting</source>
            <translation>en pause, %1 nouvelle(s) ligne(s) en attente</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>Impossible d'écrire %1 : %2</translation>
        </message>
        <message>
            <source>Export the message log</source>
            <translation>Exporter le journal des messages</translation>
        </message>
        <message>
            <source>%1 line(s) exported to %2.</source>
            <translation>%1 ligne(s) exportée(s) vers %2.</translation>
        </message>
        <message>
            <source>Messages a rule of this area rewrote, or every message the relay handled; refusals and errors show in both</source>
            <translation>Les messages qu'une règle de cette zone a réécrits, ou tous les messages traités par le relais ; les refus et les erreurs apparaissent dans les deux</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>Refusés</translation>
        </message>
        <message>
            <source>Messages shown</source>
            <translation>Messages affichés</translation>
        </message>
        <message>
            <source>Events shown</source>
            <translation>Événements affichés</translation>
        </message>
        <message>
            <source>Filter the message log</source>
            <translation>Filtrer le journal des messages</translation>
        </message>
        <message>
            <source>Message log</source>
            <translation>Journal des messages</translation>
        </message>
    </context>
    <context>
        <name>mailroute::CertificatePanel</name>
        <message>
            <source>&amp;Generate Self-Signed Certificate…</source>
            <translation>&amp;Générer un certificat auto-signé…</translation>
        </message>
        <message>
            <source>For a first test: a certificate no client will trust, made with openssl, written beside the database</source>
            <translation>Pour un premier test : un certificat auquel aucun client ne fera confiance, créé avec openssl et écrit à côté de la base de données</translation>
        </message>
        <message>
            <source>Subject:</source>
            <translation>Sujet :</translation>
        </message>
        <message>
            <source>Issuer:</source>
            <translation>Émetteur :</translation>
        </message>
        <message>
            <source>Valid:</source>
            <translation>Validité :</translation>
        </message>
        <message>
            <source>Expiry:</source>
            <translation>Expiration :</translation>
        </message>
        <message>
            <source>No certificate: STARTTLS is not offered.</source>
            <translation>Aucun certificat : STARTTLS n'est pas proposé.</translation>
        </message>
        <message>
            <source>%1 holds no PEM certificate (or cannot be read).</source>
            <translation>%1 ne contient aucun certificat PEM (ou ne peut pas être lu).</translation>
        </message>
        <message>
            <source>%1 (self-signed)</source>
            <translation>%1 (auto-signé)</translation>
        </message>
        <message>
            <source>%1 to %2</source>
            <translation>du %1 au %2</translation>
        </message>
        <message>
            <source>Expired on %1: renew it. Most senders still use it, but many refuse it.</source>
            <translation>Expiré le %1 : renouvelez-le. La plupart des expéditeurs l'utilisent encore, mais beaucoup le refusent.</translation>
        </message>
        <message numerus="yes">
            <source>Expires in %n day(s), on %1: renew it soon.</source>
            <translation>
                <numerusform>Expire dans %n jour, le %1 : renouvelez-le bientôt.</numerusform>
                <numerusform>Expire dans %n jours, le %1 : renouvelez-le bientôt.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Valid until %1 (%n day(s) left).</source>
            <translation>
                <numerusform>Valide jusqu'au %1 (%n jour restant).</numerusform>
                <numerusform>Valide jusqu'au %1 (%n jours restants).</numerusform>
            </translation>
        </message>
        <message>
            <source>Generate Self-Signed Certificate</source>
            <translation>Générer un certificat auto-signé</translation>
        </message>
        <message>
            <source>Host name the certificate is for (the name clients connect to):</source>
            <translation>Nom d'hôte du certificat (le nom auquel les clients se connectent) :</translation>
        </message>
    </context>
    <context>
        <name>mailroute::CsvImportDialog</name>
        <message>
            <source>&amp;Export Current List First…</source>
            <translation>&amp;Exporter d'abord la liste actuelle…</translation>
        </message>
        <message>
            <source>&amp;Replace User List</source>
            <translation>&amp;Remplacer la liste des utilisateurs</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <source>Upload CSV — %1 users</source>
            <translation>Importer un fichier CSV — utilisateurs %1</translation>
        </message>
        <message>
            <source>File: %1 (%2)</source>
            <translation>Fichier : %1 (%2)</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Fermer</translation>
        </message>
        <message>
            <source>Replacing the %1 user list in one transaction…</source>
            <translation>Remplacement de la liste des utilisateurs %1 en une seule transaction…</translation>
        </message>
        <message>
            <source>Reading and checking every row…</source>
            <translation>Lecture et vérification de chaque ligne…</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>Impossible de lire %1 : %2</translation>
        </message>
        <message>
            <source>Comparing with the current list…</source>
            <translation>Comparaison avec la liste actuelle…</translation>
        </message>
        <message>
            <source>The file was refused as a whole: nothing was changed. Fix the lines below and upload it again.</source>
            <translation>Le fichier a été refusé dans son ensemble : rien n'a été modifié. Corrigez les lignes ci-dessous et importez-le de nouveau.</translation>
        </message>
        <message numerus="yes">
            <source>&lt;b&gt;%n error(s)&lt;/b&gt; found.</source>
            <translation>
                <numerusform>&lt;b&gt;%n erreur&lt;/b&gt; trouvée.</numerusform>
                <numerusform>&lt;b&gt;%n erreurs&lt;/b&gt; trouvées.</numerusform>
            </translation>
        </message>
        <message>
            <source>Line %1: %2</source>
            <translation>Ligne %1 : %2</translation>
        </message>
        <message numerus="yes">
            <source>The file is valid: %n row(s).</source>
            <translation>
                <numerusform>Le fichier est valide : %n ligne.</numerusform>
                <numerusform>Le fichier est valide : %n lignes.</numerusform>
            </translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; new, &lt;b&gt;%2&lt;/b&gt; changed, &lt;b&gt;%3&lt;/b&gt; removed, %4 unchanged.</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; nouveaux, &lt;b&gt;%2&lt;/b&gt; modifiés, &lt;b&gt;%3&lt;/b&gt; supprimés, %4 inchangés.</translation>
        </message>
        <message>
            <source>The table shows the first %1 of each kind.</source>
            <translation>Le tableau montre les %1 premiers de chaque sorte.</translation>
        </message>
        <message>
            <source>&lt;b&gt;Uploading replaces the whole %1 user list&lt;/b&gt;: its %2 current mapping(s) are replaced by the %3 in this file. Export the current list first if you may want it back. The change reaches the relay when you push.</source>
            <translation>&lt;b&gt;L'importation remplace toute la liste des utilisateurs %1&lt;/b&gt; : ses %2 mappage(s) actuel(s) sont remplacés par les %3 de ce fichier. Exportez d'abord la liste actuelle si vous risquez d'en avoir besoin. La modification atteint le relais lorsque vous publiez.</translation>
        </message>
        <message>
            <source>The user list was not replaced: %1</source>
            <translation>La liste des utilisateurs n'a pas été remplacée : %1</translation>
        </message>
        <message>
            <source>Export the current %1 user list</source>
            <translation>Exporter la liste actuelle des utilisateurs %1</translation>
        </message>
        <message>
            <source>Exporting the current list to %1…</source>
            <translation>Exportation de la liste actuelle vers %1…</translation>
        </message>
        <message>
            <source>%1 mapping(s) exported to %2.</source>
            <translation>%1 mappage(s) exporté(s) vers %2.</translation>
        </message>
        <message>
            <source>Problems in the file</source>
            <translation>Problèmes dans le fichier</translation>
        </message>
        <message>
            <source>Changes the upload makes</source>
            <translation>Modifications apportées par l'import</translation>
        </message>
    </context>
    <context>
        <name>mailroute::DeliveryNotices</name>
        <message>
            <source>Delivery problems</source>
            <translation>Problèmes de remise</translation>
        </message>
        <message numerus="yes">
            <source>%n message recipient(s) bounced; see the Logs pages.</source>
            <translation>
                <numerusform>%n destinataire de message non remis ; voir les pages Journaux.</numerusform>
                <numerusform>%n destinataires de message non remis ; voir les pages Journaux.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n delivery attempt(s) deferred; the relay retries them (Queue page).</source>
            <translation>
                <numerusform>%n tentative de remise différée ; le relais la retente (page File d’attente).</numerusform>
                <numerusform>%n tentatives de remise différées ; le relais les retente (page File d’attente).</numerusform>
            </translation>
        </message>
        <message>
            <source>Delivery failed</source>
            <translation>Échec de la remise</translation>
        </message>
        <message>
            <source>Mail deferred</source>
            <translation>Courrier différé</translation>
        </message>
        <message>
            <source>MailRoute relay</source>
            <translation>Relais MailRoute</translation>
        </message>
        <message>
            <source>Mail routing stopped</source>
            <translation>Routage du courrier arrêté</translation>
        </message>
        <message>
            <source>The headless relay (mailroutectl serve) on this database is no longer running.</source>
            <translation>Le relais sans interface (mailroutectl serve) de cette base de données ne fonctionne plus.</translation>
        </message>
        <message>
            <source>The relay in this console is no longer running.</source>
            <translation>Le relais de cette console ne fonctionne plus.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::DkimKeysPanel</name>
        <message>
            <source>active (signs)</source>
            <translation>active (signe)</translation>
        </message>
        <message>
            <source>pending (publish, then push)</source>
            <translation>en attente (publier, puis pousser)</translation>
        </message>
        <message>
            <source>retired</source>
            <translation>retirée</translation>
        </message>
        <message>
            <source>Mail authentication</source>
            <translation>Authentification du courrier</translation>
        </message>
        <message>
            <source>Outbound mail whose sender the relay rewrote is DKIM-signed for the new domain with that domain's active key. Publish each key's record in the domain's DNS before you push. A rotation adds a pending key: the first push that finds its record in DNS makes it active and retires the old key (keep the old record published a few more days).</source>
            <translation>Le courrier sortant dont le relais a réécrit l'expéditeur est signé DKIM pour le nouveau domaine avec la clé active de ce domaine. Publiez l'enregistrement de chaque clé dans le DNS du domaine avant de pousser. Une rotation ajoute une clé en attente : la première publication qui trouve son enregistrement dans le DNS la rend active et retire l'ancienne clé (laissez l'ancien enregistrement publié encore quelques jours).</translation>
        </message>
        <message>
            <source>DKIM keys</source>
            <translation>Clés DKIM</translation>
        </message>
        <message>
            <source>Domain</source>
            <translation>Domaine</translation>
        </message>
        <message>
            <source>Selector</source>
            <translation>Sélecteur</translation>
        </message>
        <message>
            <source>Algorithm</source>
            <translation>Algorithme</translation>
        </message>
        <message>
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Record to publish</source>
            <translation>Enregistrement à publier</translation>
        </message>
        <message>
            <source>&amp;Copy Record</source>
            <translation>&amp;Copier l'enregistrement</translation>
        </message>
        <message>
            <source>Copy the selected key's record (name and TXT value) to the clipboard</source>
            <translation>Copier l'enregistrement de la clé sélectionnée (nom et valeur TXT) dans le presse-papiers</translation>
        </message>
        <message>
            <source>R&amp;otate…</source>
            <translation>R&amp;otation…</translation>
        </message>
        <message>
            <source>Create a new pending key for the selected key's domain</source>
            <translation>Créer une nouvelle clé en attente pour le domaine de la clé sélectionnée</translation>
        </message>
        <message>
            <source>Re&amp;move…</source>
            <translation>Su&amp;pprimer…</translation>
        </message>
        <message>
            <source>drypizza.com</source>
            <translation>drypizza.com</translation>
        </message>
        <message>
            <source>RSA 2048 bits (every receiver)</source>
            <translation>RSA 2048 bits (tous les destinataires)</translation>
        </message>
        <message>
            <source>RSA 3072 bits</source>
            <translation>RSA 3072 bits</translation>
        </message>
        <message>
            <source>Ed25519 (not every receiver verifies it)</source>
            <translation>Ed25519 (tous les destinataires ne le vérifient pas)</translation>
        </message>
        <message>
            <source>Se&amp;lector:</source>
            <translation>Sé&amp;lecteur :</translation>
        </message>
        <message>
            <source>Generate &amp;Key</source>
            <translation>Gé&amp;nérer la clé</translation>
        </message>
        <message>
            <source>Key %1 for %2 created. Publish its record, then push: it signs from that push.</source>
            <translation>Clé %1 pour %2 créée. Publiez son enregistrement, puis poussez : elle signe à partir de cette publication.</translation>
        </message>
        <message>
            <source>Key %1 for %2 created, pending. Publish its record; the first push that finds it in DNS makes it active.</source>
            <translation>Clé %1 pour %2 créée, en attente. Publiez son enregistrement ; la première publication qui le trouve dans le DNS la rend active.</translation>
        </message>
        <message>
            <source>Rotate DKIM key</source>
            <translation>Rotation de la clé DKIM</translation>
        </message>
        <message>
            <source>Create a new key for %1? It stays pending until its record is published and a push finds it; then it replaces the active key.</source>
            <translation>Créer une nouvelle clé pour %1 ? Elle reste en attente jusqu'à ce que son enregistrement soit publié et qu'une publication le trouve ; elle remplace alors la clé active.</translation>
        </message>
        <message>
            <source>Key %1 for %2 created, pending. Publish its record: %3</source>
            <translation>Clé %1 pour %2 créée, en attente. Publiez son enregistrement : %3</translation>
        </message>
        <message>
            <source>Remove DKIM key</source>
            <translation>Supprimer la clé DKIM</translation>
        </message>
        <message>
            <source>Remove the key %1 of %2 from the draft? After the next push it no longer signs; mail signed with it still needs its record for a few days.</source>
            <translation>Supprimer la clé %1 de %2 du brouillon ? Après la prochaine publication, elle ne signe plus ; le courrier signé avec elle a encore besoin de son enregistrement pendant quelques jours.</translation>
        </message>
        <message>
            <source>Key %1 of %2 removed, its key file deleted.</source>
            <translation>Clé %1 de %2 supprimée, son fichier de clé effacé.</translation>
        </message>
        <message>
            <source>Key %1 of %2 removed from the draft. Its key file stays: a pushed generation uses it, and a rollback could make it sign again.</source>
            <translation>Clé %1 de %2 supprimée du brouillon. Son fichier de clé reste : une génération publiée l'utilise, et un retour arrière pourrait la faire signer de nouveau.</translation>
        </message>
        <message>
            <source>Record copied: %1</source>
            <translation>Enregistrement copié : %1</translation>
        </message>
        <message>
            <source>Signing &amp;domain:</source>
            <translation>&amp;Domaine de signature :</translation>
        </message>
        <message>
            <source>Algorit&amp;hm:</source>
            <translation>Algorit&amp;hme :</translation>
        </message>
    </context>
    <context>
        <name>mailroute::DomainMappingModel</name>
        <message>
            <source>Every address of %1 goes to the same user at %2. Double-click to edit.</source>
            <translation>Chaque adresse de %1 va vers le même utilisateur de %2. Double-cliquez pour modifier.</translation>
        </message>
        <message>
            <source>%1 is not a valid domain: %2</source>
            <translation>%1 n'est pas un domaine valide : %2</translation>
        </message>
        <message>
            <source>%1 cannot be mapped to itself.</source>
            <translation>%1 ne peut pas être mappé sur lui-même.</translation>
        </message>
        <message>
            <source>A domain mapping for %1 already exists.</source>
            <translation>Un mappage de domaine pour %1 existe déjà.</translation>
        </message>
        <message>
            <source>Original Email Domain</source>
            <translation>Domaine d'origine</translation>
        </message>
        <message>
            <source>Redirected Email Domain</source>
            <translation>Domaine de redirection</translation>
        </message>
    </context>
    <context>
        <name>mailroute::DraftUndo</name>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Annuler</translation>
        </message>
        <message>
            <source>Undo the last change to the draft mappings (the history starts again at each push)</source>
            <translation>Annuler la dernière modification des mappages du brouillon (l’historique recommence à chaque publication)</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Rétablir</translation>
        </message>
        <message>
            <source>Redo the change to the draft mappings that was undone last</source>
            <translation>Rétablir la dernière modification annulée des mappages du brouillon</translation>
        </message>
        <message>
            <source>Create domain mapping %1 → %2</source>
            <translation>Création du mappage de domaine %1 → %2</translation>
        </message>
        <message>
            <source>Edit domain mapping %1</source>
            <translation>Modification du mappage de domaine %1</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n domain mapping(s)</source>
            <translation>
                <numerusform>Suppression de %n mappage de domaine</numerusform>
                <numerusform>Suppression de %n mappages de domaine</numerusform>
            </translation>
        </message>
        <message>
            <source>Create user mapping %1 → %2</source>
            <translation>Création du mappage d’utilisateur %1 → %2</translation>
        </message>
        <message>
            <source>Edit user mapping %1</source>
            <translation>Modification du mappage d’utilisateur %1</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n user mapping(s)</source>
            <translation>
                <numerusform>Suppression de %n mappage d’utilisateur</numerusform>
                <numerusform>Suppression de %n mappages d’utilisateur</numerusform>
            </translation>
        </message>
        <message>
            <source>Upload CSV (%1 user list)</source>
            <translation>Import CSV (liste d’utilisateurs %1)</translation>
        </message>
        <message>
            <source>the saved user list could not be read</source>
            <translation>la liste d’utilisateurs enregistrée est illisible</translation>
        </message>
    </context>
    <context>
        <name>mailroute::HoldDialog</name>
        <message>
            <source>Release automatically at</source>
            <translation>Libérer automatiquement le</translation>
        </message>
        <message>
            <source>Hold a Domain</source>
            <translation>Mettre un domaine en attente</translation>
        </message>
        <message>
            <source>Mail for a held domain is accepted and queued, but neither attempted nor bounced until you release it, for example while a tenant re-verifies the domain. Its retry schedule starts at the release.</source>
            <translation>Le courrier d'un domaine en attente est accepté et mis en file d'attente, mais ni remis ni renvoyé tant que vous ne le libérez pas, par exemple pendant qu'un tenant vérifie à nouveau le domaine. Son calendrier de nouvelles tentatives commence à la libération.</translation>
        </message>
        <message>
            <source>Domain:</source>
            <translation>Domaine :</translation>
        </message>
        <message>
            <source>Hold</source>
            <translation>Mettre en attente</translation>
        </message>
        <message>
            <source>Enter the domain whose mail waits.</source>
            <translation>Saisissez le domaine dont le courrier doit attendre.</translation>
        </message>
        <message>
            <source>The release time has passed.</source>
            <translation>L'heure de libération est passée.</translation>
        </message>
        <message>
            <source>Release time</source>
            <translation>Heure de libération</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ImportPreviewModel</name>
        <message>
            <source>New</source>
            <translation>Nouveau</translation>
        </message>
        <message>
            <source>Changed</source>
            <translation>Modifié</translation>
        </message>
        <message>
            <source>Removed</source>
            <translation>Supprimé</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Modification</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>Current target</source>
            <translation>Cible actuelle</translation>
        </message>
        <message>
            <source>New target</source>
            <translation>Nouvelle cible</translation>
        </message>
    </context>
    <context>
        <name>mailroute::InfoBanner</name>
        <message>
            <source>Dismiss</source>
            <translation>Fermer</translation>
        </message>
        <message>
            <source>Hides this message.</source>
            <translation>Masque ce message.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::MainWindow</name>
        <message>
            <source>The relay reports a problem: %1</source>
            <translation>Le relais signale un problème : %1</translation>
        </message>
        <message>
            <source>Readiness</source>
            <translation>Préparation</translation>
        </message>
        <message>
            <source>Mail Routing</source>
            <translation>Routage du courrier</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>Configuration</translation>
        </message>
        <message>
            <source>Logs</source>
            <translation>Journaux</translation>
        </message>
        <message>
            <source>Relay service</source>
            <translation>Service de relais</translation>
        </message>
        <message>
            <source>Settings &amp; Activation</source>
            <translation>Paramètres et activation</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>File d'attente</translation>
        </message>
        <message>
            <source>Address tester</source>
            <translation>Testeur d'adresse</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Fichier</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quitter</translation>
        </message>
        <message>
            <source>&amp;Mappings</source>
            <translation>&amp;Mappages</translation>
        </message>
        <message>
            <source>Create &amp;Domain Mapping…</source>
            <translation>Créer un mappage de &amp;domaine…</translation>
        </message>
        <message>
            <source>&amp;Upload CSV…</source>
            <translation>&amp;Importer un fichier CSV…</translation>
        </message>
        <message>
            <source>&amp;Export UserList…</source>
            <translation>&amp;Exporter la liste des utilisateurs…</translation>
        </message>
        <message>
            <source>Download &amp;sample CSV…</source>
            <translation>Télécharger un e&amp;xemple de CSV…</translation>
        </message>
        <message>
            <source>&amp;Find</source>
            <translation>&amp;Rechercher</translation>
        </message>
        <message>
            <source>&amp;Configuration</source>
            <translation>&amp;Configuration</translation>
        </message>
        <message>
            <source>&amp;Push…</source>
            <translation>&amp;Publier…</translation>
        </message>
        <message>
            <source>&amp;Restore an Earlier Generation…</source>
            <translation>&amp;Restaurer une génération antérieure…</translation>
        </message>
        <message>
            <source>Re&amp;load</source>
            <translation>Rechar&amp;ger</translation>
        </message>
        <message>
            <source>&amp;Relay</source>
            <translation>&amp;Relais</translation>
        </message>
        <message>
            <source>&amp;Activate</source>
            <translation>&amp;Activer</translation>
        </message>
        <message>
            <source>&amp;Stop Mail Routing…</source>
            <translation>A&amp;rrêter le routage du courrier…</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>Afficha&amp;ge</translation>
        </message>
        <message>
            <source>Relay Configuration</source>
            <translation>Configuration Relay</translation>
        </message>
        <message>
            <source>Relay Logs</source>
            <translation>Journaux Relay</translation>
        </message>
        <message>
            <source>Inbound Configuration</source>
            <translation>Configuration Inbound</translation>
        </message>
        <message>
            <source>Inbound Logs</source>
            <translation>Journaux Inbound</translation>
        </message>
        <message>
            <source>Outbound Configuration</source>
            <translation>Configuration Outbound</translation>
        </message>
        <message>
            <source>Outbound Logs</source>
            <translation>Journaux Outbound</translation>
        </message>
        <message>
            <source>Settings &amp;&amp; Activation</source>
            <translation>Paramètres et activation</translation>
        </message>
        <message>
            <source>Address Tester</source>
            <translation>Testeur d'adresse</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Aide</translation>
        </message>
        <message>
            <source>&amp;About MailRoute</source>
            <translation>À &amp;propos de MailRoute</translation>
        </message>
        <message>
            <source>About &amp;Qt</source>
            <translation>À propos de &amp;Qt</translation>
        </message>
        <message>
            <source>Database: %1</source>
            <translation>Base de données : %1</translation>
        </message>
        <message>
            <source>&amp;Show MailRoute</source>
            <translation>&amp;Afficher MailRoute</translation>
        </message>
        <message>
            <source>S&amp;top Mail Routing…</source>
            <translation>A&amp;rrêter le routage du courrier…</translation>
        </message>
        <message>
            <source>Generation %1</source>
            <translation>Génération %1</translation>
        </message>
        <message>
            <source>Nothing pushed yet</source>
            <translation>Rien n'a encore été publié</translation>
        </message>
        <message>
            <source>Unpushed changes</source>
            <translation>Modifications non publiées</translation>
        </message>
        <message>
            <source>%1 unpushed change(s)</source>
            <translation>Modifications non publiées : %1</translation>
        </message>
        <message>
            <source>Everything pushed</source>
            <translation>Tout est publié</translation>
        </message>
        <message>
            <source>Nothing to push yet</source>
            <translation>Rien à publier pour l'instant</translation>
        </message>
        <message>
            <source>Relay: stopped</source>
            <translation>Relais : arrêté</translation>
        </message>
        <message>
            <source>Relay: stopped (%1)</source>
            <translation>Relais : arrêté (%1)</translation>
        </message>
        <message>
            <source>Relay: starting…</source>
            <translation>Relais : démarrage…</translation>
        </message>
        <message>
            <source>Relay: listening on %1</source>
            <translation>Relais : à l'écoute sur %1</translation>
        </message>
        <message>
            <source>Relay: stopping…</source>
            <translation>Relais : arrêt en cours…</translation>
        </message>
        <message>
            <source>Relay: mailroutectl serve (headless) on this database</source>
            <translation>Relais : mailroutectl serve (sans interface) sur cette base de données</translation>
        </message>
        <message>
            <source>Sessions: %1</source>
            <translation>Sessions : %1</translation>
        </message>
        <message>
            <source>Sessions: –</source>
            <translation>Sessions : –</translation>
        </message>
        <message>
            <source>Queued: %1</source>
            <translation>En file d'attente : %1</translation>
        </message>
        <message>
            <source>Queued: –</source>
            <translation>En file d'attente : –</translation>
        </message>
        <message>
            <source>Generation %1 is active.</source>
            <translation>La génération %1 est active.</translation>
        </message>
        <message>
            <source>Push done</source>
            <translation>Publication effectuée</translation>
        </message>
        <message>
            <source>Configuration generation %1 is active.</source>
            <translation>La génération de configuration %1 est active.</translation>
        </message>
        <message>
            <source>nothing has been pushed</source>
            <translation>rien n'a été publié</translation>
        </message>
        <message>
            <source>Generation %1 is active again.</source>
            <translation>La génération %1 est de nouveau active.</translation>
        </message>
        <message>
            <source>A headless relay (mailroutectl serve) already runs on this database and uses every push. Stop it first to run the relay here.</source>
            <translation>Un relais sans interface (mailroutectl serve) tourne déjà sur cette base de données et utilise chaque publication. Arrêtez-le d'abord pour exécuter le relais ici.</translation>
        </message>
        <message>
            <source>Nothing has been pushed yet: the relay runs the active generation. Create your mappings, click Push, then Activate.</source>
            <translation>Rien n'a encore été publié : le relais exécute la génération active. Créez vos mappages, cliquez sur Publier, puis sur Activer.</translation>
        </message>
        <message>
            <source>Unsaved settings are not used: the relay runs the pushed generation.</source>
            <translation>Les paramètres non enregistrés ne sont pas utilisés : le relais exécute la génération publiée.</translation>
        </message>
        <message>
            <source>The relay cannot start: %1</source>
            <translation>Le relais ne peut pas démarrer : %1</translation>
        </message>
        <message>
            <source>Stop mail routing</source>
            <translation>Arrêter le routage du courrier</translation>
        </message>
        <message>
            <source>Stop mail routing?</source>
            <translation>Arrêter le routage du courrier ?</translation>
        </message>
        <message>
            <source>Before you stop the relay:
• Inbound: point the MX records at the new mail system first, and wait out their TTL, or mail for those domains is refused or delayed.
• Outbound: turn off the connectors (Google Workspace outbound gateway, Office 365 connector) that send through this relay.

Open sessions are told to come back later (421 4.3.2); queued messages stay in the spool and go out when the relay runs again.</source>
            <translation>Avant d'arrêter le relais :
• Entrant : faites d'abord pointer les enregistrements MX vers le nouveau système de messagerie et attendez l'expiration de leur TTL, sinon le courrier pour ces domaines est refusé ou retardé.
• Sortant : désactivez les connecteurs (passerelle sortante Google Workspace, connecteur Office 365) qui envoient via ce relais.

Les sessions ouvertes sont invitées à revenir plus tard (421 4.3.2) ; les messages en file d'attente restent dans le spool et partent lorsque le relais fonctionne de nouveau.</translation>
        </message>
        <message>
            <source>Checking the MX records of your Inbound and Relay domains…</source>
            <translation>Vérification des enregistrements MX de vos domaines Inbound et Relay…</translation>
        </message>
        <message>
            <source>%1 (MX %2)</source>
            <translation>%1 (MX %2)</translation>
        </message>
        <message>
            <source>Warning: the MX records of %1 still point to this relay. Mail for them is refused or delayed while routing is stopped.</source>
            <translation>Attention : les enregistrements MX de %1 pointent toujours vers ce relais. Le courrier qui leur est destiné est refusé ou retardé tant que le routage est arrêté.</translation>
        </message>
        <message>
            <source>No MX record of your Inbound and Relay domains points to this relay any more.</source>
            <translation>Plus aucun enregistrement MX de vos domaines Inbound et Relay ne pointe vers ce relais.</translation>
        </message>
        <message>
            <source>No answer for: %1.</source>
            <translation>Aucune réponse pour : %1.</translation>
        </message>
        <message>
            <source>Stop Mail Routing</source>
            <translation>Arrêter le routage du courrier</translation>
        </message>
        <message>
            <source>The relay is running</source>
            <translation>Le relais est en cours d'exécution</translation>
        </message>
        <message>
            <source>Mail routing is active. Keep it running in the system tray?</source>
            <translation>Le routage du courrier est actif. Le laisser tourner dans la zone de notification ?</translation>
        </message>
        <message>
            <source>Mail routing is active. Stop it and quit?</source>
            <translation>Le routage du courrier est actif. L'arrêter et quitter ?</translation>
        </message>
        <message>
            <source>Stopping tells open sessions to come back later; queued messages stay in the spool.</source>
            <translation>L'arrêt invite les sessions ouvertes à revenir plus tard ; les messages en file d'attente restent dans le spool.</translation>
        </message>
        <message>
            <source>Keep Running in Tray</source>
            <translation>Laisser tourner dans la zone de notification</translation>
        </message>
        <message>
            <source>Stop and Quit</source>
            <translation>Arrêter et quitter</translation>
        </message>
        <message>
            <source>MailRoute keeps routing mail</source>
            <translation>MailRoute continue de router le courrier</translation>
        </message>
        <message>
            <source>The relay runs in the background. Use the tray icon to open the console or to quit.</source>
            <translation>Le relais tourne en arrière-plan. Utilisez l'icône de la zone de notification pour ouvrir la console ou quitter.</translation>
        </message>
        <message>
            <source>Create Use&amp;r Mapping…</source>
            <translation>Créer un mappage d'&amp;utilisateur…</translation>
        </message>
        <message>
            <source>First, the relay's name: this machine is called '%1', which has no domain, so the relay would call itself %2 in its greeting and in bounces. On Settings &amp; Activation, set relay.hostname to the name your MX records will point at.</source>
            <translation>D'abord, le nom du relais : cette machine s'appelle « %1 », sans domaine, donc le relais se nommerait %2 dans sa bannière et dans les notifications de non-remise. Dans Paramètres et activation, indiquez dans relay.hostname le nom vers lequel pointeront vos enregistrements MX.</translation>
        </message>
        <message>
            <source>Generation %1 is now active.</source>
            <translation>La génération %1 est maintenant active.</translation>
        </message>
        <message>
            <source>Pages</source>
            <translation>Pages</translation>
        </message>
        <message>
            <source>Cannot undo or redo: %1. The undo history was cleared.</source>
            <translation>Impossible d’annuler ou de rétablir : %1. L’historique d’annulation a été effacé.</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Édition</translation>
        </message>
        <message>
            <source>Undo history: draft mappings since the last push</source>
            <translation>Historique d’annulation : mappages du brouillon depuis la dernière publication</translation>
        </message>
        <message>
            <source>Waves</source>
            <translation>Vagues</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>Vue d'ensemble</translation>
        </message>
        <message>
            <source>Message trace</source>
            <translation>Suivi des messages</translation>
        </message>
        <message>
            <source>Message Trace</source>
            <translation>Suivi des messages</translation>
        </message>
    </context>
    <context>
        <name>mailroute::MappingDelegate</name>
        <message>
            <source>Enter a domain, for example @example.com.</source>
            <translation>Saisissez un domaine, par exemple @example.com.</translation>
        </message>
        <message>
            <source>Enter an address, for example user@example.com.</source>
            <translation>Saisissez une adresse, par exemple utilisateur@example.com.</translation>
        </message>
        <message>
            <source>%1 was not saved: %2</source>
            <translation>%1 n'a pas été enregistré : %2</translation>
        </message>
        <message>
            <source>%1 is not valid: %2. Correct it, or press Esc to cancel.</source>
            <translation>%1 n'est pas valide : %2. Corrigez-le, ou appuyez sur Échap pour annuler.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::MappingDialog</name>
        <message>
            <source>Create</source>
            <translation>Créer</translation>
        </message>
        <message>
            <source>Create Domain Mapping — %1</source>
            <translation>Créer un mappage de domaine — %1</translation>
        </message>
        <message>
            <source>Create User Mapping — %1</source>
            <translation>Créer un mappage d'utilisateur — %1</translation>
        </message>
        <message>
            <source>Mail for every address of the original domain goes to the same user at the redirected domain. The leading @ is optional.</source>
            <translation>Le courrier pour chaque adresse du domaine d'origine va vers le même utilisateur du domaine de redirection. Le @ initial est facultatif.</translation>
        </message>
        <message>
            <source>Senders of the original domain are rewritten to the same user at the redirected domain. The leading @ is optional.</source>
            <translation>Les expéditeurs du domaine d'origine sont réécrits en le même utilisateur du domaine de redirection. Le @ initial est facultatif.</translation>
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
            <translation>Le courrier pour l'adresse source va vers l'adresse cible. Un mappage d'utilisateur l'emporte sur le mappage de domaine de son domaine.</translation>
        </message>
        <message>
            <source>Mail sent by the source address leaves with the target address as sender. A user mapping wins over the domain mapping of its domain.</source>
            <translation>Le courrier envoyé par l'adresse source part avec l'adresse cible comme expéditeur. Un mappage d'utilisateur l'emporte sur le mappage de domaine de son domaine.</translation>
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
            <translation>Domaine d'&amp;origine :</translation>
        </message>
        <message>
            <source>&amp;Source:</source>
            <translation>&amp;Source :</translation>
        </message>
        <message>
            <source>&amp;Redirected Email Domain:</source>
            <translation>Domaine de &amp;redirection :</translation>
        </message>
        <message>
            <source>&amp;Target:</source>
            <translation>&amp;Cible :</translation>
        </message>
        <message>
            <source>Not a valid domain: %1.</source>
            <translation>Domaine non valide : %1.</translation>
        </message>
        <message>
            <source>Not a valid address: %1.</source>
            <translation>Adresse non valide : %1.</translation>
        </message>
        <message>
            <source>%1 already has a domain mapping in %2. Edit that row instead.</source>
            <translation>%1 a déjà un mappage de domaine dans %2. Modifiez plutôt cette ligne.</translation>
        </message>
        <message>
            <source>%1 already has a user mapping in %2. Edit that row instead.</source>
            <translation>%1 a déjà un mappage d'utilisateur dans %2. Modifiez plutôt cette ligne.</translation>
        </message>
        <message>
            <source>The target must differ from the source.</source>
            <translation>La cible doit être différente de la source.</translation>
        </message>
        <message>
            <source>Mail to %1 will go to %2.</source>
            <translation>Le courrier pour %1 ira vers %2.</translation>
        </message>
        <message>
            <source>Mail from %1 will leave as %2.</source>
            <translation>Le courrier de %1 partira en tant que %2.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::MessageLogModel</name>
        <message>
            <source>Time</source>
            <translation>Heure</translation>
        </message>
        <message>
            <source>Queue ID</source>
            <translation>ID de file d'attente</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>Événement</translation>
        </message>
        <message>
            <source>From</source>
            <translation>De</translation>
        </message>
        <message>
            <source>To</source>
            <translation>À</translation>
        </message>
        <message>
            <source>Rewritten to</source>
            <translation>Réécrit en</translation>
        </message>
        <message>
            <source>Next hop</source>
            <translation>Prochain saut</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>Règle</translation>
        </message>
    </context>
    <context>
        <name>mailroute::OutboundInverses</name>
        <message numerus="yes">
            <source>Create %n Outbound inverse(s)</source>
            <translation>
                <numerusform>Créer %n inverse Outbound</numerusform>
                <numerusform>Créer %n inverses Outbound</numerusform>
            </translation>
        </message>
        <message>
            <source>The Outbound inverses could not be created; the draft is unchanged: %1</source>
            <translation>Les inverses Outbound n'ont pas pu être créés ; le brouillon est inchangé : %1</translation>
        </message>
        <message numerus="yes">
            <source>%n Outbound user mapping(s) created in the draft.</source>
            <translation>
                <numerusform>%n correspondance utilisateur Outbound créée dans le brouillon.</numerusform>
                <numerusform>%n correspondances utilisateur Outbound créées dans le brouillon.</numerusform>
            </translation>
        </message>
        <message>
            <source>No Outbound inverse was missing.</source>
            <translation>Aucun inverse Outbound ne manquait.</translation>
        </message>
        <message numerus="yes">
            <source>%n Inbound mapping(s) left as they are: an Outbound mapping of their target to another address exists; change or delete it on the Outbound page.</source>
            <translation>
                <numerusform>%n correspondance Inbound laissée telle quelle : une correspondance Outbound de sa cible vers une autre adresse existe ; modifiez-la ou supprimez-la sur la page Outbound.</numerusform>
                <numerusform>%n correspondances Inbound laissées telles quelles : une correspondance Outbound de leur cible vers une autre adresse existe ; modifiez-la ou supprimez-la sur la page Outbound.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n shared target(s) left as they are: several Inbound users map to them, so replies can leave under only one of their addresses.</source>
            <translation>
                <numerusform>%n cible partagée laissée telle quelle : plusieurs utilisateurs Inbound y sont redirigés, les réponses ne peuvent donc partir que sous une seule de leurs adresses.</numerusform>
                <numerusform>%n cibles partagées laissées telles quelles : plusieurs utilisateurs Inbound y sont redirigés, les réponses ne peuvent donc partir que sous une seule de leurs adresses.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>mailroute::PostfixExportAction</name>
        <message>
            <source>Write the active generation as Postfix lookup tables, for several relays behind the MX records</source>
            <translation>Écrire la génération active sous forme de tables de correspondance Postfix, pour plusieurs relais derrière les enregistrements MX</translation>
        </message>
        <message>
            <source>Export to Postfix: choose a folder</source>
            <translation>Exporter vers Postfix : choisissez un dossier</translation>
        </message>
        <message numerus="yes">
            <source>%n warning(s): see the details.</source>
            <translation>
                <numerusform>%n avertissement : voir les détails.</numerusform>
                <numerusform>%n avertissements : voir les détails.</numerusform>
            </translation>
        </message>
        <message>
            <source>Nothing was exported: %1</source>
            <translation>Rien n'a été exporté : %1</translation>
        </message>
        <message>
            <source>Export to Postfix</source>
            <translation>Exporter vers Postfix</translation>
        </message>
        <message>
            <source>Generation %1 exported to %2: %3 recipient and %4 sender entries.

On each Postfix relay: run postmap.sh, add main.cf.fragment to main.cf and master.cf.fragment to master.cf, then "postfix reload". Export again after every push.</source>
            <translation>Génération %1 exportée vers %2 : %3 entrées de destinataire et %4 entrées d'expéditeur.

Sur chaque relais Postfix : exécutez postmap.sh, ajoutez main.cf.fragment à main.cf et master.cf.fragment à master.cf, puis « postfix reload ». Exportez de nouveau après chaque publication.</translation>
        </message>
        <message>
            <source>E&amp;xport to Postfix…</source>
            <translation>E&amp;xporter vers Postfix…</translation>
        </message>
    </context>
    <context>
        <name>mailroute::PurgeAction</name>
        <message>
            <source>P&amp;urge Project Data…</source>
            <translation>P&amp;urger les données du projet…</translation>
        </message>
        <message>
            <source>End of a project: delete the logs, the queue, the keys MailRoute generated and its keychain entries</source>
            <translation>Fin d'un projet : supprimer les journaux, la file d'attente, les clés générées par MailRoute et ses entrées du trousseau</translation>
        </message>
        <message>
            <source>Purge Project Data</source>
            <translation>Purger les données du projet</translation>
        </message>
        <message>
            <source>Cannot read the database: %1</source>
            <translation>Impossible de lire la base de données : %1</translation>
        </message>
        <message>
            <source>The relay is running on this database. Stop mail routing first (Relay ▸ Stop Mail Routing, or stop mailroutectl serve); nothing was deleted.</source>
            <translation>Le relais fonctionne sur cette base de données. Arrêtez d'abord le routage du courrier (Relais ▸ Arrêter le routage du courrier, ou arrêtez mailroutectl serve) ; rien n'a été supprimé.</translation>
        </message>
        <message>
            <source>%1 message log and %2 action log entries, %3 domain hold(s)</source>
            <translation>%1 entrées du journal des messages et %2 du journal des actions, %3 mise(s) en attente de domaine</translation>
        </message>
        <message numerus="yes">
            <source>the queue in %1 (%n message(s))</source>
            <translation>
                <numerusform>la file d'attente dans %1 (%n message)</numerusform>
                <numerusform>la file d'attente dans %1 (%n messages)</numerusform>
            </translation>
        </message>
        <message>
            <source>the key or certificate file %1</source>
            <translation>le fichier de clé ou de certificat %1</translation>
        </message>
        <message>
            <source>the smart host password and the TLS key passphrase of this database in the keychain</source>
            <translation>le mot de passe de l'hôte actif et la phrase secrète de la clé TLS de cette base de données dans le trousseau</translation>
        </message>
        <message>
            <source>Delete everything MailRoute kept about this project's mail?</source>
            <translation>Supprimer tout ce que MailRoute a conservé sur le courrier de ce projet ?</translation>
        </message>
        <message>
            <source>This deletes, for good:</source>
            <translation>Ceci supprime définitivement :</translation>
        </message>
        <message>
            <source>Domain and user mappings, settings and pushed generations stay; delete the database file to remove them too.</source>
            <translation>Les mappages de domaines et d'utilisateurs, les paramètres et les générations publiées restent ; supprimez le fichier de base de données pour les effacer aussi.</translation>
        </message>
        <message>
            <source>Purge</source>
            <translation>Purger</translation>
        </message>
        <message>
            <source>the relay is running</source>
            <translation>le relais fonctionne</translation>
        </message>
        <message>
            <source>The project's logs, queue, generated keys and keychain entries are deleted.</source>
            <translation>Les journaux, la file d'attente, les clés générées et les entrées du trousseau du projet sont supprimés.</translation>
        </message>
        <message>
            <source>The purge is incomplete: %1</source>
            <translation>La purge est incomplète : %1</translation>
        </message>
    </context>
    <context>
        <name>mailroute::PushDialog</name>
        <message>
            <source>%1 domain(s) added</source>
            <translation>%1 domaine(s) ajouté(s)</translation>
        </message>
        <message>
            <source>%1 domain(s) changed</source>
            <translation>%1 domaine(s) modifié(s)</translation>
        </message>
        <message>
            <source>%1 domain(s) removed</source>
            <translation>%1 domaine(s) supprimé(s)</translation>
        </message>
        <message>
            <source>%1 user(s) added</source>
            <translation>%1 utilisateur(s) ajouté(s)</translation>
        </message>
        <message>
            <source>%1 user(s) changed</source>
            <translation>%1 utilisateur(s) modifié(s)</translation>
        </message>
        <message>
            <source>%1 user(s) removed</source>
            <translation>%1 utilisateur(s) supprimé(s)</translation>
        </message>
        <message>
            <source>Warnings</source>
            <translation>Avertissements</translation>
        </message>
        <message>
            <source>&amp;Push</source>
            <translation>&amp;Publier</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <source>Push configuration</source>
            <translation>Publier la configuration</translation>
        </message>
        <message>
            <source>No differences.</source>
            <translation>Aucune différence.</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Fermer</translation>
        </message>
        <message>
            <source>Comparing the draft with the active configuration…</source>
            <translation>Comparaison du brouillon avec la configuration active…</translation>
        </message>
        <message>
            <source>Pushing…</source>
            <translation>Publication…</translation>
        </message>
        <message numerus="yes">
            <source>Settings: %n changed</source>
            <translation>
                <numerusform>Paramètres : %n modifié</numerusform>
                <numerusform>Paramètres : %n modifiés</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Routes: %n changed</source>
            <translation>
                <numerusform>Routes : %n modifiée</numerusform>
                <numerusform>Routes : %n modifiées</numerusform>
            </translation>
        </message>
        <message>
            <source>… and %1 more change(s)</source>
            <translation>… et %1 autre(s) modification(s)</translation>
        </message>
        <message>
            <source>Nothing to push: the draft equals the active generation %1.</source>
            <translation>Rien à publier : le brouillon est identique à la génération active %1.</translation>
        </message>
        <message>
            <source>Nothing to push yet: the draft is empty. Create mappings first.</source>
            <translation>Rien à publier pour l'instant : le brouillon est vide. Créez d'abord des mappages.</translation>
        </message>
        <message numerus="yes">
            <source>Push %n change(s) as generation %1? It replaces generation %2 in the relay without dropping connections.</source>
            <translation>
                <numerusform>Publier %n modification comme génération %1 ? Elle remplace la génération %2 dans le relais sans couper les connexions.</numerusform>
                <numerusform>Publier %n modifications comme génération %1 ? Elle remplace la génération %2 dans le relais sans couper les connexions.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Push %n change(s) as the first generation?</source>
            <translation>
                <numerusform>Publier %n modification comme première génération ?</numerusform>
                <numerusform>Publier %n modifications comme première génération ?</numerusform>
            </translation>
        </message>
        <message>
            <source>The push failed; the relay keeps its configuration: %1</source>
            <translation>La publication a échoué ; le relais conserve sa configuration : %1</translation>
        </message>
        <message numerus="yes">
            <source>Looking up the DNS records of %n pending DKIM key(s)…</source>
            <translation>
                <numerusform>Recherche dans le DNS de l'enregistrement de %n clé DKIM en attente…</numerusform>
                <numerusform>Recherche dans le DNS des enregistrements de %n clés DKIM en attente…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>DKIM keys: %n changed</source>
            <translation>
                <numerusform>Clés DKIM : %n modifiée</numerusform>
                <numerusform>Clés DKIM : %n modifiées</numerusform>
            </translation>
        </message>
        <message>
            <source>Changes since the last push</source>
            <translation>Modifications depuis la dernière publication</translation>
        </message>
        <message>
            <source>Create the Outbound inverse</source>
            <translation>Créer l'inverse Outbound</translation>
        </message>
        <message>
            <source>Adds to the draft's Outbound user list the inverse of every Inbound user mapping that has none, so that replies leave under the original address. Undo with Edit ▸ Undo.</source>
            <translation>Ajoute à la liste d'utilisateurs Outbound du brouillon l'inverse de chaque correspondance utilisateur Inbound qui n'en a pas, afin que les réponses partent sous l'adresse d'origine. Annuler avec Édition ▸ Annuler.</translation>
        </message>
        <message numerus="yes">
            <source>Create the Outbound inverse (%n)</source>
            <translation>
                <numerusform>Créer l'inverse Outbound (%n)</numerusform>
                <numerusform>Créer les inverses Outbound (%n)</numerusform>
            </translation>
        </message>
        <message>
            <source>Double-click or press Enter to create the missing Outbound inverses.</source>
            <translation>Double-cliquez ou appuyez sur Entrée pour créer les inverses Outbound manquants.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::QueueModel</name>
        <message>
            <source>now</source>
            <translation>maintenant</translation>
        </message>
        <message>
            <source>Queue ID</source>
            <translation>ID de file d'attente</translation>
        </message>
        <message>
            <source>Arrived</source>
            <translation>Arrivé</translation>
        </message>
        <message>
            <source>Sender</source>
            <translation>Expéditeur</translation>
        </message>
        <message>
            <source>Recipients</source>
            <translation>Destinataires</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Tentatives</translation>
        </message>
        <message>
            <source>Next attempt</source>
            <translation>Prochaine tentative</translation>
        </message>
        <message>
            <source>Last error</source>
            <translation>Dernière erreur</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Taille</translation>
        </message>
    </context>
    <context>
        <name>mailroute::QueuePage</name>
        <message>
            <source>&amp;Retry Now</source>
            <translation>&amp;Réessayer maintenant</translation>
        </message>
        <message>
            <source>&amp;Delete…</source>
            <translation>&amp;Supprimer…</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>File d'attente</translation>
        </message>
        <message>
            <source>Messages the relay accepted and still has to deliver. Temporary failures are retried on the schedule of Settings ▸ Retry schedule, then bounced.</source>
            <translation>Messages que le relais a acceptés et doit encore remettre. Les échecs temporaires sont retentés selon Paramètres ▸ Calendrier des nouvelles tentatives, puis renvoyés à l'expéditeur.</translation>
        </message>
        <message>
            <source>The queue is empty.
Messages waiting for a retry (a next hop that answered 4xx or could not be reached) show up here, with the reason.</source>
            <translation>La file d'attente est vide.
Les messages en attente d'une nouvelle tentative (un prochain saut qui a répondu 4xx ou n'a pas pu être joint) apparaissent ici, avec la raison.</translation>
        </message>
        <message>
            <source>Deliver the selected messages (all, if none is selected) as soon as possible</source>
            <translation>Remettre les messages sélectionnés (tous, si aucun n'est sélectionné) dès que possible</translation>
        </message>
        <message>
            <source>Drop the selected messages without a bounce</source>
            <translation>Abandonner les messages sélectionnés sans notification de non-remise</translation>
        </message>
        <message>
            <source>Re&amp;fresh</source>
            <translation>&amp;Actualiser</translation>
        </message>
        <message>
            <source>Cannot open the spool in %1: %2</source>
            <translation>Impossible d'ouvrir le spool dans %1 : %2</translation>
        </message>
        <message>
            <source>No spool yet in %1.</source>
            <translation>Pas encore de spool dans %1.</translation>
        </message>
        <message>
            <source>Cannot read the queue: %1</source>
            <translation>Impossible de lire la file d'attente : %1</translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) waiting</source>
            <translation>
                <numerusform>%n message en attente</numerusform>
                <numerusform>%n messages en attente</numerusform>
            </translation>
        </message>
        <message>
            <source>the relay is running</source>
            <translation>le relais fonctionne</translation>
        </message>
        <message>
            <source>the relay is stopped</source>
            <translation>le relais est arrêté</translation>
        </message>
        <message>
            <source>Retry requested: the relay tries again within a second.</source>
            <translation>Nouvelle tentative demandée : le relais réessaie dans la seconde.</translation>
        </message>
        <message>
            <source>Marked for delivery at once when the relay runs next.</source>
            <translation>Marqué pour une remise immédiate au prochain démarrage du relais.</translation>
        </message>
        <message>
            <source>Select the messages to delete first.</source>
            <translation>Sélectionnez d'abord les messages à supprimer.</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Supprimer</translation>
        </message>
        <message numerus="yes">
            <source>Delete %n queued message(s)?</source>
            <translation>
                <numerusform>Supprimer %n message en file d'attente ?</numerusform>
                <numerusform>Supprimer %n messages en file d'attente ?</numerusform>
            </translation>
        </message>
        <message>
            <source>They are dropped without a bounce to the sender, and their content is erased.</source>
            <translation>Ils sont abandonnés sans notification de non-remise à l'expéditeur, et leur contenu est effacé.</translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) deleted.</source>
            <translation>
                <numerusform>%n message supprimé.</numerusform>
                <numerusform>%n messages supprimés.</numerusform>
            </translation>
        </message>
        <message>
            <source>Held domains</source>
            <translation>Domaines en attente</translation>
        </message>
        <message>
            <source>Domain</source>
            <translation>Domaine</translation>
        </message>
        <message>
            <source>Held since</source>
            <translation>En attente depuis</translation>
        </message>
        <message>
            <source>Until</source>
            <translation>Jusqu'au</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>En attente</translation>
        </message>
        <message>
            <source>No domain is on hold. Hold one while a tenant re-verifies it: its mail waits in the queue until you release it.</source>
            <translation>Aucun domaine n'est en attente. Mettez-en un en attente pendant qu'un tenant le vérifie à nouveau : son courrier attend dans la file jusqu'à sa libération.</translation>
        </message>
        <message>
            <source>&amp;Hold…</source>
            <translation>&amp;Mettre en attente…</translation>
        </message>
        <message>
            <source>Hold the mail for a domain: queued, neither attempted nor bounced until released</source>
            <translation>Retenir le courrier d'un domaine : en file d'attente, ni remis ni renvoyé jusqu'à sa libération</translation>
        </message>
        <message>
            <source>Re&amp;lease</source>
            <translation>&amp;Libérer</translation>
        </message>
        <message>
            <source>Release the selected domain: its mail is attempted at once</source>
            <translation>Libérer le domaine sélectionné : son courrier est remis immédiatement</translation>
        </message>
        <message>
            <source>until released</source>
            <translation>jusqu'à libération</translation>
        </message>
        <message>
            <source>Cannot hold %1: %2</source>
            <translation>Impossible de mettre %1 en attente : %2</translation>
        </message>
        <message>
            <source>@%1 is on hold: its mail waits in the queue until you release it.</source>
            <translation>@%1 est en attente : son courrier attend dans la file jusqu'à sa libération.</translation>
        </message>
        <message>
            <source>Select the domain to release first.</source>
            <translation>Sélectionnez d'abord le domaine à libérer.</translation>
        </message>
        <message>
            <source>Cannot release %1: %2</source>
            <translation>Impossible de libérer %1 : %2</translation>
        </message>
        <message>
            <source>@%1 is released: its mail is attempted now.</source>
            <translation>@%1 est libéré : son courrier est remis maintenant.</translation>
        </message>
        <message>
            <source>Cannot read the domain holds: %1</source>
            <translation>Impossible de lire les mises en attente de domaines : %1</translation>
        </message>
        <message>
            <source>the database cannot be opened</source>
            <translation>la base de données ne peut pas être ouverte</translation>
        </message>
        <message>
            <source>Queued messages</source>
            <translation>Messages en file d'attente</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ReadinessPage</name>
        <message>
            <source>Record</source>
            <translation>Enregistrement</translation>
        </message>
        <message>
            <source>Copies the record to publish at %1:
%2</source>
            <translation>Copie l'enregistrement à publier sous %1 :
%2</translation>
        </message>
        <message>
            <source>Record to publish at %1:</source>
            <translation>Enregistrement à publier sous %1 :</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Avertissement</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Échec</translation>
        </message>
        <message>
            <source>Readiness</source>
            <translation>Préparation</translation>
        </message>
        <message>
            <source>DNS: MX, SPF, DKIM and DMARC</source>
            <translation>DNS : MX, SPF, DKIM et DMARC</translation>
        </message>
        <message>
            <source>Connector test</source>
            <translation>Test du connecteur</translation>
        </message>
        <message>
            <source>Remote-side instructions</source>
            <translation>Instructions pour le côté distant</translation>
        </message>
        <message>
            <source>Looks up the MX records of the domains whose mail the relay receives (Relay and Inbound); for the domains whose mail it sends (Outbound targets) their SPF, DKIM and DMARC records and whether mail rewritten to them passes DMARC; and says what to change before the cut-over.</source>
            <translation>Consulte les enregistrements MX des domaines dont le relais reçoit le courrier (Relay et Inbound) ; pour les domaines dont il envoie le courrier (cibles Outbound), leurs enregistrements SPF, DKIM et DMARC et si le courrier réécrit vers eux passe DMARC ; et indique ce qu'il faut changer avant la bascule.</translation>
        </message>
        <message>
            <source>Domains to check, separated by spaces (empty: those of the pushed configuration)</source>
            <translation>Domaines à vérifier, séparés par des espaces (vide : ceux de la configuration publiée)</translation>
        </message>
        <message>
            <source>Check DNS</source>
            <translation>Vérifier le DNS</translation>
        </message>
        <message>
            <source>Not checked yet.</source>
            <translation>Pas encore vérifié.</translation>
        </message>
        <message>
            <source>Domain</source>
            <translation>Domaine</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>Vérification</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Détails</translation>
        </message>
        <message>
            <source>SPF record to publish:</source>
            <translation>Enregistrement SPF à publier :</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Copier</translation>
        </message>
        <message>
            <source>Talks to a next hop the way the relay does: connect, banner, EHLO, STARTTLS and the TLS handshake — or sends a real test message through it.</source>
            <translation>Dialogue avec un prochain saut comme le fait le relais : connexion, bannière, EHLO, STARTTLS et négociation TLS — ou y envoie un vrai message de test.</translation>
        </message>
        <message>
            <source>host[:port], e.g. smtp.example.com:587</source>
            <translation>hôte[:port], p. ex. smtp.example.com:587</translation>
        </message>
        <message>
            <source>Next hop:</source>
            <translation>Prochain saut :</translation>
        </message>
        <message>
            <source>you@example.com</source>
            <translation>vous@example.com</translation>
        </message>
        <message>
            <source>Test recipient:</source>
            <translation>Destinataire du test :</translation>
        </message>
        <message>
            <source>Check connectivity</source>
            <translation>Vérifier la connectivité</translation>
        </message>
        <message>
            <source>Send test email</source>
            <translation>Envoyer un e-mail de test</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>Tâche</translation>
        </message>
        <message>
            <source>Reply</source>
            <translation>Réponse</translation>
        </message>
        <message>
            <source>This relay: &lt;b&gt;%1&lt;/b&gt;, port %2, STARTTLS %3.</source>
            <translation>Ce relais : &lt;b&gt;%1&lt;/b&gt;, port %2, STARTTLS %3.</translation>
        </message>
        <message>
            <source>offered</source>
            <translation>proposé</translation>
        </message>
        <message>
            <source>not offered (no certificate)</source>
            <translation>non proposé (aucun certificat)</translation>
        </message>
        <message>
            <source>Public address: %1.</source>
            <translation>Adresse publique : %1.</translation>
        </message>
        <message>
            <source>Checks the pushed generation %1.</source>
            <translation>Vérifie la génération publiée %1.</translation>
        </message>
        <message>
            <source>Nothing is pushed yet: checks the draft.</source>
            <translation>Rien n'est encore publié : vérifie le brouillon.</translation>
        </message>
        <message>
            <source>No domains to check: create domain mappings and push, or type the domains above.</source>
            <translation>Aucun domaine à vérifier : créez des mappages de domaine et publiez, ou saisissez les domaines ci-dessus.</translation>
        </message>
        <message numerus="yes">
            <source>Looking up %n domain(s)…</source>
            <translation>
                <numerusform>Recherche de %n domaine…</numerusform>
                <numerusform>Recherche de %n domaines…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n domain(s) checked: </source>
            <translation>
                <numerusform>%n domaine vérifié : </numerusform>
                <numerusform>%n domaines vérifiés : </numerusform>
            </translation>
        </message>
        <message>
            <source>%1 ready, %2 with warnings, %3 failing.</source>
            <translation>%1 prêt(s), %2 avec avertissements, %3 en échec.</translation>
        </message>
        <message>
            <source>Fix the failing checks before you point mail at the relay; each says what to do.</source>
            <translation>Corrigez les vérifications en échec avant de diriger le courrier vers le relais ; chacune indique quoi faire.</translation>
        </message>
        <message>
            <source>Read the warnings before the cut-over.</source>
            <translation>Lisez les avertissements avant la bascule.</translation>
        </message>
        <message>
            <source>DNS is ready for the cut-over.</source>
            <translation>Le DNS est prêt pour la bascule.</translation>
        </message>
        <message>
            <source>SPF record to publish for %1:</source>
            <translation>Enregistrement SPF à publier pour %1 :</translation>
        </message>
        <message>
            <source>Select a domain whose SPF record needs a change.</source>
            <translation>Sélectionnez un domaine dont l'enregistrement SPF doit changer.</translation>
        </message>
        <message>
            <source>Choose or type a next hop first (host[:port]).</source>
            <translation>Choisissez ou saisissez d'abord un prochain saut (hôte[:port]).</translation>
        </message>
        <message>
            <source>Sending a test message through %1…</source>
            <translation>Envoi d'un message de test via %1…</translation>
        </message>
        <message>
            <source>Talking to %1…</source>
            <translation>Dialogue avec %1…</translation>
        </message>
        <message>
            <source>%1 works.</source>
            <translation>%1 fonctionne.</translation>
        </message>
        <message>
            <source>%1 works, with warnings: see the table.</source>
            <translation>%1 fonctionne, avec des avertissements : voir le tableau.</translation>
        </message>
        <message>
            <source>%1 failed: see the table for the server's replies.</source>
            <translation>%1 a échoué : voir le tableau pour les réponses du serveur.</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <source>%1 of %2 DNS look-ups answered</source>
            <translation>%1 sur %2 recherches DNS ont reçu une réponse</translation>
        </message>
        <message>
            <source>DNS check cancelled; nothing was assessed.</source>
            <translation>Vérification DNS annulée ; rien n'a été évalué.</translation>
        </message>
        <message>
            <source>Domains to check</source>
            <translation>Domaines à vérifier</translation>
        </message>
        <message>
            <source>Separated by spaces; empty checks the domains of the pushed configuration.</source>
            <translation>Séparés par des espaces ; vide vérifie les domaines de la configuration publiée.</translation>
        </message>
        <message>
            <source>DNS findings</source>
            <translation>Résultats DNS</translation>
        </message>
        <message>
            <source>SPF record to publish</source>
            <translation>Enregistrement SPF à publier</translation>
        </message>
        <message>
            <source>Copy the SPF record</source>
            <translation>Copier l'enregistrement SPF</translation>
        </message>
        <message>
            <source>Connector test steps</source>
            <translation>Étapes du test du connecteur</translation>
        </message>
        <message>
            <source>Copy the record for %1</source>
            <translation>Copier l'enregistrement de %1</translation>
        </message>
        <message>
            <source>Recipient verification</source>
            <translation>Vérification des destinataires</translation>
        </message>
    </context>
    <context>
        <name>mailroute::RelayRunner</name>
        <message>
            <source>A relay (mailroutectl serve) already runs on this database; it uses every push. Stop it first to run the relay here.</source>
            <translation>Un relais (mailroutectl serve) tourne déjà sur cette base de données ; il utilise chaque publication. Arrêtez-le d'abord pour exécuter le relais ici.</translation>
        </message>
        <message>
            <source>The relay is already running.</source>
            <translation>Le relais fonctionne déjà.</translation>
        </message>
        <message>
            <source>There is no pushed configuration to run.</source>
            <translation>Il n'y a aucune configuration publiée à exécuter.</translation>
        </message>
        <message>
            <source>generation %1 is not used, the relay keeps its configuration: %2</source>
            <translation>la génération %1 n'est pas utilisée, le relais garde sa configuration : %2</translation>
        </message>
        <message>
            <source>wave %1: %2</source>
            <translation>vague %1 : %2</translation>
        </message>
    </context>
    <context>
        <name>mailroute::RemoteInstructions</name>
        <message>
            <source>Copy</source>
            <translation>Copier</translation>
        </message>
        <message>
            <source>Copy "%1" to the clipboard</source>
            <translation>Copier « %1 » dans le presse-papiers</translation>
        </message>
        <message>
            <source>(set relay.hostname)</source>
            <translation>(définissez relay.hostname)</translation>
        </message>
        <message>
            <source>(unknown: run the DNS check or set relay.public_address)</source>
            <translation>(inconnue : lancez la vérification DNS ou définissez relay.public_address)</translation>
        </message>
        <message>
            <source>&lt;p&gt;&lt;b&gt;Note:&lt;/b&gt; the relay listens on port %1, but Google Workspace, Exchange Online and other mail servers connect on port 25. Set relay.listen to port 25 (or forward port 25 to %1) before the cut-over.&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;Remarque :&lt;/b&gt; le relais écoute sur le port %1, mais Google Workspace, Exchange Online et les autres serveurs de messagerie se connectent sur le port 25. Réglez relay.listen sur le port 25 (ou redirigez le port 25 vers %1) avant la bascule.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Mail server (MX target)</source>
            <translation>Serveur de messagerie (cible MX)</translation>
        </message>
        <message>
            <source>MX record for %1</source>
            <translation>Enregistrement MX pour %1</translation>
        </message>
        <message>
            <source>MX record</source>
            <translation>Enregistrement MX</translation>
        </message>
        <message>
            <source>the TTL of the current MX records (run the DNS check to see it)</source>
            <translation>le TTL des enregistrements MX actuels (lancez la vérification DNS pour le voir)</translation>
        </message>
        <message>
            <source>At your DNS provider, lower the TTL of the domain's MX records to 300 seconds a day ahead. Then wait at least %1 — the current TTL — so that no resolver still holds the old, long-lived answer.</source>
            <translation>Chez votre fournisseur DNS, abaissez le TTL des enregistrements MX du domaine à 300 secondes un jour à l'avance. Attendez ensuite au moins %1 — le TTL actuel — pour qu'aucun résolveur ne garde l'ancienne réponse de longue durée.</translation>
        </message>
        <message>
            <source>Push the configuration and activate the relay (Settings &amp; Activation). Check that %1 answers on port %2 from outside (Connector test).</source>
            <translation>Publiez la configuration et activez le relais (Paramètres et activation). Vérifiez que %1 répond sur le port %2 depuis l'extérieur (Test du connecteur).</translation>
        </message>
        <message>
            <source>Replace the MX records with one record: preference 10, mail server %1 (the records below, ready to paste into a zone file).</source>
            <translation>Remplacez les enregistrements MX par un seul enregistrement : préférence 10, serveur de messagerie %1 (les enregistrements ci-dessous, prêts à coller dans un fichier de zone).</translation>
        </message>
        <message>
            <source>Watch the Inbound and Relay logs: mail arrives through the relay as soon as senders' resolvers see the new record — for up to %1 after the change some mail still goes to the old servers, so keep them running that long.</source>
            <translation>Surveillez les journaux Inbound et Relay : le courrier arrive par le relais dès que les résolveurs des expéditeurs voient le nouvel enregistrement — jusqu'à %1 après la modification, une partie du courrier va encore vers les anciens serveurs ; laissez-les donc fonctionner aussi longtemps.</translation>
        </message>
        <message>
            <source>When the cut-over is done, raise the TTL again (for example 3600 s).</source>
            <translation>Une fois la bascule terminée, relevez de nouveau le TTL (par exemple 3600 s).</translation>
        </message>
        <message>
            <source>MX change</source>
            <translation>Modification des MX</translation>
        </message>
        <message>
            <source>Tick %1: the relay offers STARTTLS.</source>
            <translation>Cochez %1 : le relais propose STARTTLS.</translation>
        </message>
        <message>
            <source>Require TLS for connections to the outbound gateway</source>
            <translation>Exiger le protocole TLS pour les connexions à la passerelle sortante</translation>
        </message>
        <message>
            <source>Leave %1 unticked: the relay has no certificate yet (Settings ▸ TLS); mail to the relay would fail.</source>
            <translation>Laissez %1 décoché : le relais n'a pas encore de certificat (Paramètres ▸ TLS) ; le courrier vers le relais échouerait.</translation>
        </message>
        <message>
            <source>Sign in to the Google Admin console as a super administrator.</source>
            <translation>Connectez-vous à la console d'administration Google en tant que super-administrateur.</translation>
        </message>
        <message>
            <source>Go to %1.</source>
            <translation>Accédez à %1.</translation>
        </message>
        <message>
            <source>Apps ▸ Google Workspace ▸ Gmail ▸ Routing</source>
            <translation>Applications ▸ Google Workspace ▸ Gmail ▸ Routage</translation>
        </message>
        <message>
            <source>Under %1, enter the relay's host name %2 (or its address %3).</source>
            <translation>Sous %1, saisissez le nom d'hôte du relais %2 (ou son adresse %3).</translation>
        </message>
        <message>
            <source>Outbound gateway</source>
            <translation>Passerelle sortante</translation>
        </message>
        <message>
            <source>Click %1. Changes can take up to an hour to reach every Gmail server.</source>
            <translation>Cliquez sur %1. Les modifications peuvent mettre jusqu'à une heure pour atteindre tous les serveurs Gmail.</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Enregistrer</translation>
        </message>
        <message>
            <source>Allow Google's sending servers to relay: add Google's outbound ranges (from %1) to outbound.allowed_clients under Settings &amp; Activation (now: %2).</source>
            <translation>Autorisez les serveurs d'envoi de Google à relayer : ajoutez les plages sortantes de Google (de %1) à outbound.allowed_clients sous Paramètres et activation (actuellement : %2).</translation>
        </message>
        <message>
            <source>empty</source>
            <translation>vide</translation>
        </message>
        <message>
            <source>Send a message from a Workspace mailbox to an outside address and watch the Outbound log.</source>
            <translation>Envoyez un message depuis une boîte aux lettres Workspace vers une adresse externe et surveillez le journal Outbound.</translation>
        </message>
        <message>
            <source>Relay address</source>
            <translation>Adresse du relais</translation>
        </message>
        <message>
            <source>Google Workspace</source>
            <translation>Google Workspace</translation>
        </message>
        <message>
            <source>Security: tick %1 and choose %2 (or, with a self-signed certificate, %3).</source>
            <translation>Sécurité : cochez %1 et choisissez %2 (ou, avec un certificat auto-signé, %3).</translation>
        </message>
        <message>
            <source>Always use Transport Layer Security (TLS) to secure the connection (recommended)</source>
            <translation>Toujours utiliser le protocole TLS (Transport Layer Security) pour sécuriser la connexion (recommandé)</translation>
        </message>
        <message>
            <source>Issued by a trusted certificate authority (CA)</source>
            <translation>Émis par une autorité de certification (CA) approuvée</translation>
        </message>
        <message>
            <source>Any digital certificate, including self-signed certificates</source>
            <translation>N'importe quel certificat numérique, y compris les certificats auto-signés</translation>
        </message>
        <message>
            <source>Security: untick %1 — the relay has no certificate yet (Settings ▸ TLS). Once it has one, come back and require TLS.</source>
            <translation>Sécurité : décochez %1 — le relais n'a pas encore de certificat (Paramètres ▸ TLS). Dès qu'il en a un, revenez exiger TLS.</translation>
        </message>
        <message>
            <source>Open the Exchange admin center and go to %1.</source>
            <translation>Ouvrez le Centre d'administration Exchange et accédez à %1.</translation>
        </message>
        <message>
            <source>Mail flow ▸ Connectors</source>
            <translation>Flux de messagerie ▸ Connecteurs</translation>
        </message>
        <message>
            <source>Click %1. Connection from: %2; connection to: %3.</source>
            <translation>Cliquez sur %1. Connexion de : %2 ; connexion à : %3.</translation>
        </message>
        <message>
            <source>Add a connector</source>
            <translation>Ajouter un connecteur</translation>
        </message>
        <message>
            <source>Office 365</source>
            <translation>Office 365</translation>
        </message>
        <message>
            <source>Partner organization</source>
            <translation>Organisation partenaire</translation>
        </message>
        <message>
            <source>Name it, for example %1, and leave it turned on.</source>
            <translation>Nommez-le, par exemple %1, et laissez-le activé.</translation>
        </message>
        <message>
            <source>MailRoute relay</source>
            <translation>Relais MailRoute</translation>
        </message>
        <message>
            <source>Use of connector: %1 (or only for the domains that move).</source>
            <translation>Utilisation du connecteur : %1 (ou seulement pour les domaines qui migrent).</translation>
        </message>
        <message>
            <source>Only when I have a transport rule set up that redirects messages to this connector</source>
            <translation>Uniquement quand une règle de transport redirige les messages vers ce connecteur</translation>
        </message>
        <message>
            <source>Routing: %1 and add the smart host %2.</source>
            <translation>Routage : %1 et ajoutez l'hôte actif %2.</translation>
        </message>
        <message>
            <source>Route email through these smart hosts</source>
            <translation>Acheminer le courrier via ces hôtes actifs</translation>
        </message>
        <message>
            <source>Validate the connector with an outside address, then save. Exchange Online connects to the smart host on port 25.</source>
            <translation>Validez le connecteur avec une adresse externe, puis enregistrez. Exchange Online se connecte à l'hôte actif sur le port 25.</translation>
        </message>
        <message>
            <source>Allow Exchange Online to relay: add Microsoft's outbound ranges (%1) to outbound.allowed_clients (now: %2).</source>
            <translation>Autorisez Exchange Online à relayer : ajoutez les plages sortantes de Microsoft (%1) à outbound.allowed_clients (actuellement : %2).</translation>
        </message>
        <message>
            <source>Smart host</source>
            <translation>Hôte actif</translation>
        </message>
        <message>
            <source>Exchange Online / Office 365</source>
            <translation>Exchange Online / Office 365</translation>
        </message>
        <message>
            <source>TXT for %1</source>
            <translation>TXT pour %1</translation>
        </message>
        <message>
            <source>Mechanism to add</source>
            <translation>Mécanisme à ajouter</translation>
        </message>
        <message>
            <source>The relay sends outbound mail from %1. Receivers check the sender domain's SPF record against that address.</source>
            <translation>Le relais envoie le courrier sortant depuis %1. Les destinataires vérifient l'enregistrement SPF du domaine de l'expéditeur par rapport à cette adresse.</translation>
        </message>
        <message>
            <source>At your DNS provider, edit the TXT record that starts with %1 of each sender domain (the Outbound target domains) and add the relay's address before the %2 term, keeping every existing mechanism — the records below are exactly that. A domain must have only one SPF record.</source>
            <translation>Chez votre fournisseur DNS, modifiez l'enregistrement TXT qui commence par %1 de chaque domaine expéditeur (les domaines cibles Outbound) et ajoutez l'adresse du relais avant le terme %2, en conservant tous les mécanismes existants — les enregistrements ci-dessous font exactement cela. Un domaine ne doit avoir qu'un seul enregistrement SPF.</translation>
        </message>
        <message>
            <source>Run the DNS check again after the record's TTL: every domain should then show SPF OK.</source>
            <translation>Relancez la vérification DNS après le TTL de l'enregistrement : chaque domaine devrait alors afficher SPF OK.</translation>
        </message>
        <message>
            <source>SPF record</source>
            <translation>Enregistrement SPF</translation>
        </message>
        <message>
            <source>TXT name (%1)</source>
            <translation>Nom TXT (%1)</translation>
        </message>
        <message>
            <source>TXT value</source>
            <translation>Valeur TXT</translation>
        </message>
        <message>
            <source>Create a DKIM key for each Outbound target domain under Settings &amp; Activation ▸ Mail authentication (or %1). Its record then appears here.</source>
            <translation>Créez une clé DKIM pour chaque domaine cible Outbound sous Paramètres et activation ▸ Authentification du courrier (ou %1). Son enregistrement apparaît alors ici.</translation>
        </message>
        <message>
            <source>Publish the DKIM record before pointing connectors at the relay: at your DNS provider, add a TXT record with each name and value below (a value longer than 255 characters is split into several strings by most providers on their own; %1 prints a zone-file line).</source>
            <translation>Publiez l'enregistrement DKIM avant de diriger les connecteurs vers le relais : chez votre fournisseur DNS, ajoutez un enregistrement TXT avec chaque nom et valeur ci-dessous (la plupart des fournisseurs découpent d'eux-mêmes une valeur de plus de 255 caractères en plusieurs chaînes ; %1 affiche une ligne de fichier de zone).</translation>
        </message>
        <message>
            <source>Wait until the record answers (%1), then push: an active key signs from the push; a pending key becomes active with the first push that finds its record.</source>
            <translation>Attendez que l'enregistrement réponde (%1), puis poussez : une clé active signe à partir de la publication ; une clé en attente devient active à la première publication qui trouve son enregistrement.</translation>
        </message>
        <message>
            <source>Only then set up the Google Workspace gateway or the Exchange Online connector: receivers that enforce DMARC refuse mail whose signature they cannot verify.</source>
            <translation>Configurez seulement ensuite la passerelle Google Workspace ou le connecteur Exchange Online : les destinataires qui appliquent DMARC refusent le courrier dont ils ne peuvent pas vérifier la signature.</translation>
        </message>
        <message>
            <source>DKIM records</source>
            <translation>Enregistrements DKIM</translation>
        </message>
        <message>
            <source>Those ranges send for every Google Workspace customer, not only for you: the relay relays their mail to outside addresses only when the envelope sender's domain is one of yours. List your sending domains in %1 (empty: the domains your Outbound rules name); other senders reach only your Inbound and Relay addresses and get %2 for the rest.</source>
            <translation>Ces plages envoient pour tous les clients Google Workspace, pas seulement pour vous : le relais ne relaie leur courrier vers des adresses extérieures que si le domaine de l'expéditeur d'enveloppe est l'un des vôtres. Indiquez vos domaines d'envoi dans %1 (vide : les domaines que nomment vos règles Outbound) ; les autres expéditeurs n'atteignent que vos adresses Inbound et Relay et reçoivent %2 pour le reste.</translation>
        </message>
        <message>
            <source>Those ranges are shared by every Exchange Online tenant: allowed on their own, any other tenant could relay through this relay. So the relay relays their mail to outside addresses only when the envelope sender's domain is one of yours: list your sending domains in %1 (empty: the domains your Outbound rules name). Other tenants still reach your Inbound and Relay addresses; anything else gets %2.</source>
            <translation>Ces plages sont partagées par tous les locataires Exchange Online : autorisées seules, n'importe quel autre locataire pourrait relayer par ce relais. Le relais ne relaie donc leur courrier vers des adresses extérieures que si le domaine de l'expéditeur d'enveloppe est l'un des vôtres : indiquez vos domaines d'envoi dans %1 (vide : les domaines que nomment vos règles Outbound). Les autres locataires atteignent toujours vos adresses Inbound et Relay ; tout le reste reçoit %2.</translation>
        </message>
        <message>
            <source>Copy %1</source>
            <translation>Copier %1</translation>
        </message>
        <message>
            <source>(set arc.domain)</source>
            <translation>(définissez arc.domain)</translation>
        </message>
        <message>
            <source>First give the relay a sealing key: set %1 under Settings &amp; Activation (for example the relay's own domain) and create a DKIM key for it (%2); publish its record (DKIM records tab) and push. Until then the relay seals nothing.</source>
            <translation>Donnez d'abord au relais une clé de scellement : définissez %1 dans Paramètres et activation (par exemple le domaine du relais lui-même) et créez-lui une clé DKIM (%2) ; publiez son enregistrement (onglet Enregistrements DKIM) et poussez la configuration. D'ici là, le relais ne scelle rien.</translation>
        </message>
        <message>
            <source>Exchange Online: connect with %1 and run the line below, which makes the relay's ARC seals (d=%2) trusted for your tenant.</source>
            <translation>Exchange Online : connectez-vous avec %1 et exécutez la ligne ci-dessous, qui rend les sceaux ARC du relais (d=%2) dignes de confiance pour votre locataire.</translation>
        </message>
        <message>
            <source>Exchange Online, Enhanced Filtering for Connectors: in the Microsoft Defender portal go to %1, open the inbound connector that receives mail from the relay, choose %2 and add the relay's address %3 — or run the second line below. Exchange then judges the sender by the address before the relay.</source>
            <translation>Exchange Online, filtrage amélioré pour les connecteurs : dans le portail Microsoft Defender, allez dans %1, ouvrez le connecteur entrant qui reçoit le courrier du relais, choisissez %2 et ajoutez l'adresse du relais %3 — ou exécutez la deuxième ligne ci-dessous. Exchange juge alors l'expéditeur d'après l'adresse située avant le relais.</translation>
        </message>
        <message>
            <source>Email &amp; collaboration ▸ Policies &amp; rules ▸ Threat policies ▸ Enhanced filtering</source>
            <translation>Email &amp; collaboration ▸ Policies &amp; rules ▸ Threat policies ▸ Enhanced filtering (E-mail et collaboration ▸ Stratégies et règles ▸ Stratégies de menace ▸ Filtrage amélioré)</translation>
        </message>
        <message>
            <source>Skip these IP addresses that are associated with the connector</source>
            <translation>Ignorer ces adresses IP associées au connecteur (Skip these IP addresses that are associated with the connector)</translation>
        </message>
        <message>
            <source>Google Workspace: in the Admin console go to %1, turn on %2 and add the relay's address %3 to the gateway IPs; tick %4. Gmail then looks past the relay and trusts its ARC seal.</source>
            <translation>Google Workspace : dans la console d'administration, allez dans %1, activez %2 et ajoutez l'adresse du relais %3 aux adresses IP de la passerelle ; cochez %4. Gmail regarde alors au-delà du relais et fait confiance à son sceau ARC.</translation>
        </message>
        <message>
            <source>Apps ▸ Google Workspace ▸ Gmail ▸ Spam, phishing and malware ▸ Inbound gateway</source>
            <translation>Applications ▸ Google Workspace ▸ Gmail ▸ Spam, hameçonnage et logiciels malveillants ▸ Passerelle entrante</translation>
        </message>
        <message>
            <source>Inbound gateway</source>
            <translation>Passerelle entrante</translation>
        </message>
        <message>
            <source>Automatically detect external IP (recommended)</source>
            <translation>Détecter automatiquement l'adresse IP externe (recommandé)</translation>
        </message>
        <message>
            <source>Send a message from outside to a migrated mailbox and look at its headers in the target: %1 and %2 name the relay.</source>
            <translation>Envoyez un message de l'extérieur à une boîte migrée et regardez ses en-têtes dans la cible : %1 et %2 nomment le relais.</translation>
        </message>
        <message>
            <source>Exchange Online: ARC trusted sealer</source>
            <translation>Exchange Online : sceau ARC de confiance</translation>
        </message>
        <message>
            <source>Exchange Online: skip the relay's address</source>
            <translation>Exchange Online : ignorer l'adresse du relais</translation>
        </message>
        <message>
            <source>Google Workspace: inbound gateway IPs</source>
            <translation>Google Workspace : adresses IP de la passerelle entrante</translation>
        </message>
        <message>
            <source>ARC (inbound trust)</source>
            <translation>ARC (confiance entrante)</translation>
        </message>
    </context>
    <context>
        <name>mailroute::RollbackDialog</name>
        <message>
            <source>Restore an earlier generation</source>
            <translation>Restaurer une génération antérieure</translation>
        </message>
        <message>
            <source>Generation</source>
            <translation>Génération</translation>
        </message>
        <message>
            <source>Pushed</source>
            <translation>Publiée</translation>
        </message>
        <message>
            <source>Domain mappings</source>
            <translation>Mappages de domaine</translation>
        </message>
        <message>
            <source>User mappings</source>
            <translation>Mappages d'utilisateur</translation>
        </message>
        <message>
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <source>active</source>
            <translation>active</translation>
        </message>
        <message>
            <source>There is no earlier generation to restore yet: every push keeps one.</source>
            <translation>Il n'y a pas encore de génération antérieure à restaurer : chaque publication en conserve une.</translation>
        </message>
        <message>
            <source>Pick the generation to make active again. The draft is replaced by its content, and the relay uses it at once.</source>
            <translation>Choisissez la génération à réactiver. Le brouillon est remplacé par son contenu, et le relais l'utilise immédiatement.</translation>
        </message>
        <message>
            <source>&amp;Restore…</source>
            <translation>&amp;Restaurer…</translation>
        </message>
        <message>
            <source>Restore generation %1</source>
            <translation>Restaurer la génération %1</translation>
        </message>
        <message>
            <source>Make generation %1 active again?</source>
            <translation>Réactiver la génération %1 ?</translation>
        </message>
        <message>
            <source>The relay switches to it at once, and the draft is replaced by its content: unpushed changes are lost.</source>
            <translation>Le relais bascule immédiatement dessus, et le brouillon est remplacé par son contenu : les modifications non publiées sont perdues.</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>Restaurer</translation>
        </message>
        <message>
            <source>Restoring generation %1…</source>
            <translation>Restauration de la génération %1…</translation>
        </message>
        <message>
            <source>Not restored: %1</source>
            <translation>Non restaurée : %1</translation>
        </message>
        <message>
            <source>Generations</source>
            <translation>Générations</translation>
        </message>
    </context>
    <context>
        <name>mailroute::SecretRow</name>
        <message>
            <source>Store in Keychain</source>
            <translation>Enregistrer dans le trousseau</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>Effacer</translation>
        </message>
        <message>
            <source>type a new value to store it</source>
            <translation>saisissez une nouvelle valeur pour l'enregistrer</translation>
        </message>
        <message>
            <source>Stored in the keychain.</source>
            <translation>Enregistré dans le trousseau.</translation>
        </message>
        <message>
            <source>Not stored.</source>
            <translation>Non enregistré.</translation>
        </message>
        <message>
            <source>New value to store in the keychain</source>
            <translation>Nouvelle valeur à enregistrer dans le trousseau</translation>
        </message>
    </context>
    <context>
        <name>mailroute::SettingsPage</name>
        <message>
            <source>Settings &amp; Activation</source>
            <translation>Paramètres et activation</translation>
        </message>
        <message>
            <source>Listener</source>
            <translation>Écoute</translation>
        </message>
        <message>
            <source>Where the relay accepts mail. Point MX records (inbound) or your mail systems' connectors (outbound) at this address.</source>
            <translation>Là où le relais accepte le courrier. Faites pointer les enregistrements MX (entrant) ou les connecteurs de vos systèmes de messagerie (sortant) vers cette adresse.</translation>
        </message>
        <message>
            <source>Outbound clients</source>
            <translation>Clients sortants</translation>
        </message>
        <message>
            <source>Delivery and retries</source>
            <translation>Remise et nouvelles tentatives</translation>
        </message>
        <message>
            <source>Temporary failures are retried on this schedule, then bounced. It is far shorter than RFC 5321 suggests, as the hosted service was: lengthen it while a tenant re-verifies a domain.</source>
            <translation>Les échecs temporaires sont retentés selon ce calendrier, puis renvoyés à l'expéditeur. Il est bien plus court que ce que suggère la RFC 5321, comme l'était le service hébergé : allongez-le pendant qu'un locataire revérifie un domaine.</translation>
        </message>
        <message>
            <source>Rewriting and limits</source>
            <translation>Réécriture et limites</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>Autres</translation>
        </message>
        <message>
            <source>Saved settings are part of the draft: they reach the relay with the next push.</source>
            <translation>Les paramètres enregistrés font partie du brouillon : ils atteignent le relais à la prochaine publication.</translation>
        </message>
        <message>
            <source>&amp;Save Settings</source>
            <translation>&amp;Enregistrer les paramètres</translation>
        </message>
        <message>
            <source>Re&amp;vert</source>
            <translation>Ann&amp;uler les modifications</translation>
        </message>
        <message>
            <source>Mail routing</source>
            <translation>Routage du courrier</translation>
        </message>
        <message>
            <source>&amp;Activate</source>
            <translation>&amp;Activer</translation>
        </message>
        <message>
            <source>Start the relay in this console with the active (pushed) generation</source>
            <translation>Démarrer le relais dans cette console avec la génération active (publiée)</translation>
        </message>
        <message>
            <source>S&amp;top Mail Routing…</source>
            <translation>A&amp;rrêter le routage du courrier…</translation>
        </message>
        <message>
            <source>Spool: %1</source>
            <translation>Spool : %1</translation>
        </message>
        <message>
            <source>Mail routing is stopped</source>
            <translation>Le routage du courrier est arrêté</translation>
        </message>
        <message>
            <source>Push your configuration, then click Activate to start the relay here.</source>
            <translation>Publiez votre configuration, puis cliquez sur Activer pour démarrer le relais ici.</translation>
        </message>
        <message>
            <source>The relay stopped: %1</source>
            <translation>Le relais s'est arrêté : %1</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Démarrage…</translation>
        </message>
        <message>
            <source>Mail routing is active on %1</source>
            <translation>Le routage du courrier est actif sur %1</translation>
        </message>
        <message numerus="yes">
            <source>Generation %1 · %n open session(s)</source>
            <translation>
                <numerusform>Génération %1 · %n session ouverte</numerusform>
                <numerusform>Génération %1 · %n sessions ouvertes</numerusform>
            </translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>Arrêt en cours…</translation>
        </message>
        <message>
            <source>Open sessions are told to come back later (421); the queue is kept.</source>
            <translation>Les sessions ouvertes sont invitées à revenir plus tard (421) ; la file d'attente est conservée.</translation>
        </message>
        <message>
            <source>A headless relay (mailroutectl serve) runs on this database</source>
            <translation>Un relais sans interface (mailroutectl serve) tourne sur cette base de données</translation>
        </message>
        <message>
            <source>It picks up every push within a second; its log shows on the Logs pages. Stop it on its machine to run the relay here.</source>
            <translation>Il prend en compte chaque publication en moins d'une seconde ; son journal s'affiche sur les pages Journaux. Arrêtez-le sur sa machine pour exécuter le relais ici.</translation>
        </message>
        <message>
            <source>Per-domain routes</source>
            <translation>Routes par domaine</translation>
        </message>
        <message>
            <source>Mail for a recipient domain listed here goes to its next hop instead of the smart host or MX records: "host" or "host:port" (the host's MX records, then the host itself), or an address, "[192.0.2.1]:25".</source>
            <translation>Le courrier pour un domaine destinataire listé ici va vers son prochain saut au lieu de l'hôte actif ou des enregistrements MX : « hôte » ou « hôte:port » (les enregistrements MX de l'hôte, puis l'hôte lui-même), ou une adresse, « [192.0.2.1]:25 ».</translation>
        </message>
        <message>
            <source>Recipient domain</source>
            <translation>Domaine destinataire</translation>
        </message>
        <message>
            <source>Next hop</source>
            <translation>Prochain saut</translation>
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
            <translation>Ajouter la rou&amp;te</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Retirer</translation>
        </message>
        <message>
            <source>Domain: %1</source>
            <translation>Domaine : %1</translation>
        </message>
        <message>
            <source>Next hop: %1</source>
            <translation>Prochain saut : %1</translation>
        </message>
        <message>
            <source>Route saved. Push to apply it to the relay.</source>
            <translation>Route enregistrée. Publiez pour l'appliquer au relais.</translation>
        </message>
        <message>
            <source>Select the routes to remove first.</source>
            <translation>Sélectionnez d'abord les routes à retirer.</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>Non enregistré : %1</translation>
        </message>
        <message>
            <source>Some settings are not valid; the messages under the fields say why. Nothing was saved.</source>
            <translation>Certains paramètres ne sont pas valides ; les messages sous les champs indiquent pourquoi. Rien n'a été enregistré.</translation>
        </message>
        <message>
            <source>%1 was not saved: %2</source>
            <translation>%1 n'a pas été enregistré : %2</translation>
        </message>
        <message numerus="yes">
            <source>%n setting(s) saved to the draft. Push to make them active in the relay.</source>
            <translation>
                <numerusform>%n paramètre enregistré dans le brouillon. Publiez pour l'activer dans le relais.</numerusform>
                <numerusform>%n paramètres enregistrés dans le brouillon. Publiez pour les activer dans le relais.</numerusform>
            </translation>
        </message>
        <message>
            <source>Smart host password:</source>
            <translation>Mot de passe de l'hôte actif :</translation>
        </message>
        <message>
            <source>TLS (STARTTLS)</source>
            <translation>TLS (STARTTLS)</translation>
        </message>
        <message>
            <source>With a certificate and its key the relay offers STARTTLS (TLS 1.2 or later). A key protected by a passphrase is unlocked with the passphrase stored in the keychain.</source>
            <translation>Avec un certificat et sa clé, le relais propose STARTTLS (TLS 1.2 ou ultérieur). Une clé protégée par une phrase secrète est déverrouillée avec la phrase secrète enregistrée dans le trousseau.</translation>
        </message>
        <message>
            <source>Key passphrase:</source>
            <translation>Phrase secrète de la clé :</translation>
        </message>
        <message>
            <source>Certificate:</source>
            <translation>Certificat :</translation>
        </message>
        <message>
            <source>Self-signed certificate written to %1. Save the settings and push to offer STARTTLS; clients will not trust it, so use it for a first test only.</source>
            <translation>Certificat auto-signé écrit dans %1. Enregistrez les paramètres et publiez pour proposer STARTTLS ; les clients ne lui feront pas confiance, utilisez-le donc uniquement pour un premier test.</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>TLS: default</source>
            <translation>TLS : par défaut</translation>
        </message>
        <message>
            <source>TLS: may (opportunistic)</source>
            <translation>TLS : may (opportuniste)</translation>
        </message>
        <message>
            <source>TLS: encrypt (required)</source>
            <translation>TLS : encrypt (obligatoire)</translation>
        </message>
        <message>
            <source>TLS: verify (required, certificate checked)</source>
            <translation>TLS : verify (obligatoire, certificat vérifié)</translation>
        </message>
        <message>
            <source>Under encrypt and verify no message leaves in plaintext: without TLS the mail waits and bounces by the retry schedule. Default follows the delivery.tls_policy setting.</source>
            <translation>Avec encrypt et verify, aucun message ne part en clair : sans TLS, le courrier attend puis est renvoyé à l'expéditeur selon le calendrier des nouvelles tentatives. Par défaut, c'est le paramètre delivery.tls_policy qui s'applique.</translation>
        </message>
        <message>
            <source>default</source>
            <translation>par défaut</translation>
        </message>
        <message>
            <source>Clients in these networks may send to any recipient when the envelope sender's domain is an allowed sender domain (empty: the domains the Outbound rules name), or for bounces; their senders go through the Outbound area. Everyone else, and other senders, may only send to addresses an Inbound or Relay rule matches.</source>
            <translation>Les clients de ces réseaux peuvent envoyer à n'importe quel destinataire quand le domaine de l'expéditeur d'enveloppe est un domaine d'expéditeur autorisé (vide : les domaines que nomment les règles Outbound), ou pour des rapports de non-remise ; leurs expéditeurs passent par la zone Outbound. Tous les autres, et les autres expéditeurs, ne peuvent envoyer qu'aux adresses auxquelles correspond une règle Inbound ou Relay.</translation>
        </message>
        <message>
            <source>Recipient domain of the new route</source>
            <translation>Domaine destinataire de la nouvelle route</translation>
        </message>
        <message>
            <source>Next hop of the new route</source>
            <translation>Prochain saut de la nouvelle route</translation>
        </message>
        <message>
            <source>TLS policy of the new route</source>
            <translation>Politique TLS de la nouvelle route</translation>
        </message>
    </context>
    <context>
        <name>mailroute::UserMappingModel</name>
        <message>
            <source>Sorting by target works for lists of up to %1 rows; type a filter first. The list stays sorted by source.</source>
            <translation>Le tri par cible fonctionne pour les listes de %1 lignes au plus ; saisissez d'abord un filtre. La liste reste triée par source.</translation>
        </message>
        <message>
            <source>Mail for %1 goes to %2. Double-click to edit.</source>
            <translation>Le courrier pour %1 va vers %2. Double-cliquez pour modifier.</translation>
        </message>
        <message>
            <source>%1 is not a valid address: %2</source>
            <translation>%1 n'est pas une adresse valide : %2</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>Target</source>
            <translation>Cible</translation>
        </message>
    </context>
    <context>
        <name>mailroute::VerifyTargetsPanel</name>
        <message>
            <source>Before accepting an Inbound or Relay recipient the relay asks its target whether the mailbox exists, so unknown users are refused at RCPT and nothing is bounced. A target that accepts any address defeats this: such domains are listed here. Exclude them (mailroutectl verify exclude DOMAIN) or make the tenant refuse unknown users (Exchange Online: Directory-Based Edge Blocking).</source>
            <translation>Avant d'accepter un destinataire Inbound ou Relay, le relais demande à sa cible si la boîte existe : les utilisateurs inconnus sont refusés au RCPT et rien n'est renvoyé. Une cible qui accepte n'importe quelle adresse rend cela inutile : ces domaines sont listés ici. Excluez-les (mailroutectl verify exclude DOMAINE) ou faites refuser les utilisateurs inconnus par le tenant (Exchange Online : Directory-Based Edge Blocking).</translation>
        </message>
        <message>
            <source>Check targets</source>
            <translation>Vérifier les cibles</translation>
        </message>
        <message>
            <source>Target domain</source>
            <translation>Domaine cible</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Unknown address</source>
            <translation>Adresse inconnue</translation>
        </message>
        <message>
            <source>Reply</source>
            <translation>Réponse</translation>
        </message>
        <message>
            <source>Asking the targets…</source>
            <translation>Interrogation des cibles…</translation>
        </message>
        <message>
            <source>accepts any address</source>
            <translation>accepte n'importe quelle adresse</translation>
        </message>
        <message>
            <source>refuses unknown addresses</source>
            <translation>refuse les adresses inconnues</translation>
        </message>
        <message>
            <source>could not tell</source>
            <translation>impossible de savoir</translation>
        </message>
        <message>
            <source>(excluded)</source>
            <translation>(exclu)</translation>
        </message>
        <message>
            <source>No Inbound or Relay rules: no targets to check.</source>
            <translation>Aucune règle Inbound ou Relay : aucune cible à vérifier.</translation>
        </message>
        <message>
            <source>Targets that accept any address: %1. Unknown users there are accepted and bounced later.</source>
            <translation>Cibles qui acceptent n'importe quelle adresse : %1. Les utilisateurs inconnus y sont acceptés puis renvoyés plus tard.</translation>
        </message>
        <message>
            <source>Every target answered; none accepts any address.</source>
            <translation>Toutes les cibles ont répondu ; aucune n'accepte n'importe quelle adresse.</translation>
        </message>
        <message>
            <source>Recipient verification by target domain</source>
            <translation>Vérification des destinataires par domaine cible</translation>
        </message>
    </context>
    <context>
        <name>mailroute::WaveCreateDialog</name>
        <message>
            <source>E&amp;xpires</source>
            <translation>E&amp;xpire</translation>
        </message>
        <message>
            <source>&amp;Browse…</source>
            <translation>&amp;Parcourir…</translation>
        </message>
        <message>
            <source>Also create the Outbound &amp;inverses (replies keep the original address)</source>
            <translation>Créer aussi les &amp;inverses Outbound (les réponses gardent l'adresse d'origine)</translation>
        </message>
        <message>
            <source>Apply at its time even if a check &amp;fails</source>
            <translation>Appliquer à l'heure prévue même si une vérification &amp;échoue</translation>
        </message>
        <message>
            <source>C&amp;reate</source>
            <translation>C&amp;réer</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <source>Create wave</source>
            <translation>Créer une vague</translation>
        </message>
        <message>
            <source>e.g. sales-week-1</source>
            <translation>p. ex. ventes-semaine-1</translation>
        </message>
        <message>
            <source>A user list (Source;Target) or a migration batch file</source>
            <translation>Une liste d'utilisateurs (Source;Target) ou un fichier de lot de migration</translation>
        </message>
        <message>
            <source>Only for a batch file with an EmailAddress column, e.g. drypizza.com</source>
            <translation>Seulement pour un fichier de lot avec une colonne EmailAddress, p. ex. drypizza.com</translation>
        </message>
        <message>
            <source>Errors in the file</source>
            <translation>Erreurs dans le fichier</translation>
        </message>
        <message>
            <source>What the wave changes</source>
            <translation>Ce que la vague modifie</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Nom :</translation>
        </message>
        <message>
            <source>A&amp;rea:</source>
            <translation>&amp;Zone :</translation>
        </message>
        <message>
            <source>&amp;Activation (local time):</source>
            <translation>&amp;Activation (heure locale) :</translation>
        </message>
        <message>
            <source>Expiry:</source>
            <translation>Expiration :</translation>
        </message>
        <message>
            <source>&amp;File:</source>
            <translation>&amp;Fichier :</translation>
        </message>
        <message>
            <source>&amp;Target domain:</source>
            <translation>Domaine &amp;cible :</translation>
        </message>
        <message>
            <source>Choose the file of the wave's users.</source>
            <translation>Choisissez le fichier des utilisateurs de la vague.</translation>
        </message>
        <message>
            <source>Reading and checking the file…</source>
            <translation>Lecture et vérification du fichier…</translation>
        </message>
        <message>
            <source>Wave file</source>
            <translation>Fichier de la vague</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>Impossible de lire %1 : %2</translation>
        </message>
        <message>
            <source>The file cannot be used; nothing was created.</source>
            <translation>Le fichier n'est pas utilisable ; rien n'a été créé.</translation>
        </message>
        <message numerus="yes">
            <source>%n user(s) in the file: %1 new, %2 with another target, %3 unchanged.</source>
            <translation>
                <numerusform>%n utilisateur dans le fichier : %1 nouveau(x), %2 avec une autre cible, %3 inchangé(s).</numerusform>
                <numerusform>%n utilisateurs dans le fichier : %1 nouveau(x), %2 avec une autre cible, %3 inchangé(s).</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n Outbound inverse(s) will be added with them.</source>
            <translation>
                <numerusform>%n inverse Outbound sera ajouté avec eux.</numerusform>
                <numerusform>%n inverses Outbound seront ajoutés avec eux.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n target(s) already have another Outbound mapping or are shared; they are left as they are.</source>
            <translation>
                <numerusform>%n cible a déjà une autre correspondance Outbound ou est partagée ; elle est laissée telle quelle.</numerusform>
                <numerusform>%n cibles ont déjà une autre correspondance Outbound ou sont partagées ; elles sont laissées telles quelles.</numerusform>
            </translation>
        </message>
        <message>
            <source>The name is not valid: %1</source>
            <translation>Le nom n'est pas valide : %1</translation>
        </message>
        <message>
            <source>The expiry must come after the activation.</source>
            <translation>L'expiration doit venir après l'activation.</translation>
        </message>
        <message>
            <source>Adding wave %1 to the draft…</source>
            <translation>Ajout de la vague %1 au brouillon…</translation>
        </message>
        <message>
            <source>The wave was not created: %1</source>
            <translation>La vague n'a pas été créée : %1</translation>
        </message>
    </context>
    <context>
        <name>mailroute::WaveTimeline</name>
        <message>
            <source>Scheduled</source>
            <translation>Planifiée</translation>
        </message>
        <message>
            <source>Checked</source>
            <translation>Vérifiée</translation>
        </message>
        <message>
            <source>Held</source>
            <translation>Retenue</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Active</translation>
        </message>
        <message>
            <source>Expired</source>
            <translation>Expirée</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Annulée</translation>
        </message>
        <message>
            <source>due now</source>
            <translation>maintenant</translation>
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
            <translation>%1 j %2 h</translation>
        </message>
        <message>
            <source>in %1</source>
            <translation>dans %1</translation>
        </message>
        <message>
            <source>%1 ago</source>
            <translation>il y a %1</translation>
        </message>
        <message>
            <source>Wave timeline</source>
            <translation>Chronologie des vagues</translation>
        </message>
        <message>
            <source>Now</source>
            <translation>Maintenant</translation>
        </message>
        <message>
            <source>No waves yet.</source>
            <translation>Aucune vague pour l'instant.</translation>
        </message>
        <message numerus="yes">
            <source>%1: %2, %n user(s), activation %3</source>
            <translation>
                <numerusform>%1 : %2, %n utilisateur, activation %3</numerusform>
                <numerusform>%1 : %2, %n utilisateurs, activation %3</numerusform>
            </translation>
        </message>
        <message>
            <source>, expiry %1</source>
            <translation>, expiration %1</translation>
        </message>
        <message numerus="yes">
            <source>Wave %1, %2, %n user(s): activation %3 (%4)</source>
            <translation>
                <numerusform>Vague %1, %2, %n utilisateur : activation %3 (%4)</numerusform>
                <numerusform>Vague %1, %2, %n utilisateurs : activation %3 (%4)</numerusform>
            </translation>
        </message>
        <message>
            <source>; expiry %1 (%2)</source>
            <translation>; expiration %1 (%2)</translation>
        </message>
        <message>
            <source>; not pushed yet</source>
            <translation>; pas encore publiée</translation>
        </message>
    </context>
    <context>
        <name>mailroute::WavesPage</name>
        <message>
            <source>&amp;Create…</source>
            <translation>&amp;Créer…</translation>
        </message>
        <message>
            <source>Check &amp;now</source>
            <translation>&amp;Vérifier maintenant</translation>
        </message>
        <message>
            <source>&amp;Apply now…</source>
            <translation>&amp;Appliquer maintenant…</translation>
        </message>
        <message>
            <source>Cance&amp;l wave…</source>
            <translation>Annu&amp;ler la vague…</translation>
        </message>
        <message>
            <source>&amp;Push…</source>
            <translation>&amp;Publier…</translation>
        </message>
        <message>
            <source>A wave switches a batch of users to their new addresses at a set time, checked 24 hours and 1 hour before. Waves are part of the draft: push to schedule them; the relay applies each one at its time. Times are shown in local time.</source>
            <translation>Une vague bascule un lot d'utilisateurs vers leurs nouvelles adresses à une heure fixée, vérifiée 24 heures et 1 heure avant. Les vagues font partie du brouillon : publiez pour les planifier ; le relais applique chacune à son heure. Les heures sont affichées en heure locale.</translation>
        </message>
        <message>
            <source>Waves</source>
            <translation>Vagues</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Activation</source>
            <translation>Activation</translation>
        </message>
        <message>
            <source>Countdown</source>
            <translation>Compte à rebours</translation>
        </message>
        <message>
            <source>Expiry</source>
            <translation>Expiration</translation>
        </message>
        <message>
            <source>Users</source>
            <translation>Utilisateurs</translation>
        </message>
        <message>
            <source>Wave details</source>
            <translation>Détails de la vague</translation>
        </message>
        <message>
            <source>Select a wave to see its check, its note and its report.</source>
            <translation>Sélectionnez une vague pour voir sa vérification, sa note et son rapport.</translation>
        </message>
        <message>
            <source>A new wave from a user list (Source;Target) or a migration batch file</source>
            <translation>Une nouvelle vague à partir d'une liste d'utilisateurs (Source;Target) ou d'un fichier de lot de migration</translation>
        </message>
        <message>
            <source>Lint, DNS of the target domains and, when waves.probe_rate is set, a recipient probe</source>
            <translation>Avertissements de configuration, DNS des domaines cibles et, si waves.probe_rate est défini, un sondage des destinataires</translation>
        </message>
        <message>
            <source>Make the wave active now instead of at its time</source>
            <translation>Activer la vague maintenant plutôt qu'à son heure</translation>
        </message>
        <message>
            <source>A scheduled wave is not applied; an active one has its mappings removed</source>
            <translation>Une vague planifiée n'est pas appliquée ; une vague active voit ses correspondances retirées</translation>
        </message>
        <message>
            <source>Waves take effect once pushed</source>
            <translation>Les vagues prennent effet une fois publiées</translation>
        </message>
        <message>
            <source>The waves cannot be read: %1</source>
            <translation>Les vagues ne peuvent pas être lues : %1</translation>
        </message>
        <message>
            <source>%1 (not pushed)</source>
            <translation>%1 (non publiée)</translation>
        </message>
        <message>
            <source>%1 (removed from the draft)</source>
            <translation>%1 (retirée du brouillon)</translation>
        </message>
        <message>
            <source>none</source>
            <translation>aucune</translation>
        </message>
        <message>
            <source>%1 + %2 Outbound</source>
            <translation>%1 + %2 Outbound</translation>
        </message>
        <message>
            <source>expires %1</source>
            <translation>expire %1</translation>
        </message>
        <message>
            <source>Remove from the draft…</source>
            <translation>Retirer du brouillon…</translation>
        </message>
        <message>
            <source>Wave %1: %2</source>
            <translation>Vague %1 : %2</translation>
        </message>
        <message numerus="yes">
            <source>%1 area, %n user mapping(s)</source>
            <translation>
                <numerusform>Zone %1, %n correspondance utilisateur</numerusform>
                <numerusform>Zone %1, %n correspondances utilisateur</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>With %n Outbound inverse(s) (the round-trip rule)</source>
            <translation>
                <numerusform>Avec %n inverse Outbound (la règle de l'aller-retour)</numerusform>
                <numerusform>Avec %n inverses Outbound (la règle de l'aller-retour)</numerusform>
            </translation>
        </message>
        <message>
            <source>Activation: %1 (%2)</source>
            <translation>Activation : %1 (%2)</translation>
        </message>
        <message>
            <source>Expiry: %1 (%2)</source>
            <translation>Expiration : %1 (%2)</translation>
        </message>
        <message>
            <source>Expiry: none, the mappings stay</source>
            <translation>Expiration : aucune, les correspondances restent</translation>
        </message>
        <message>
            <source>Only in the draft: push to schedule it.</source>
            <translation>Seulement dans le brouillon : publiez pour la planifier.</translation>
        </message>
        <message>
            <source>Removed from the draft: the next push removes it from the schedule.</source>
            <translation>Retirée du brouillon : la prochaine publication la retire du planning.</translation>
        </message>
        <message>
            <source>Applied at its time even if a check fails.</source>
            <translation>Appliquée à son heure même si une vérification échoue.</translation>
        </message>
        <message>
            <source>Note: %1</source>
            <translation>Note : %1</translation>
        </message>
        <message>
            <source>Activated %1 (generation %2)</source>
            <translation>Activée %1 (génération %2)</translation>
        </message>
        <message>
            <source>Ended %1 (generation %2)</source>
            <translation>Terminée %1 (génération %2)</translation>
        </message>
        <message>
            <source>Ended %1</source>
            <translation>Terminée %1</translation>
        </message>
        <message>
            <source>Last check (%1, %2): passed</source>
            <translation>Dernière vérification (%1, %2) : réussie</translation>
        </message>
        <message>
            <source>Last check (%1, %2): FAILED</source>
            <translation>Dernière vérification (%1, %2) : ÉCHEC</translation>
        </message>
        <message>
            <source>Not checked yet (checks run 24 hours and 1 hour before the activation, or with Check now).</source>
            <translation>Pas encore vérifiée (les vérifications ont lieu 24 heures et 1 heure avant l'activation, ou avec Vérifier maintenant).</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>Vérification…</translation>
        </message>
        <message>
            <source>Reading the report…</source>
            <translation>Lecture du rapport…</translation>
        </message>
        <message>
            <source>Mappings:</source>
            <translation>Correspondances :</translation>
        </message>
        <message numerus="yes">
            <source>  … and %n more</source>
            <translation>
                <numerusform>  … et %n de plus</numerusform>
                <numerusform>  … et %n de plus</numerusform>
            </translation>
        </message>
        <message>
            <source>No report: %1</source>
            <translation>Pas de rapport : %1</translation>
        </message>
        <message>
            <source>Report, first hour after activation (%1 to %2): %3 delivered, %4 deferred, %5 bounced</source>
            <translation>Rapport, première heure après l'activation (%1 à %2) : %3 remis, %4 différés, %5 rejetés</translation>
        </message>
        <message>
            <source>  %1: %2 delivered, %3 deferred, %4 bounced</source>
            <translation>  %1 : %2 remis, %3 différés, %4 rejetés</translation>
        </message>
        <message>
            <source>  No messages to the wave's targets yet.</source>
            <translation>  Aucun message vers les cibles de la vague pour l'instant.</translation>
        </message>
        <message>
            <source>Wave %1 is in the draft. Push to schedule it.</source>
            <translation>La vague %1 est dans le brouillon. Publiez pour la planifier.</translation>
        </message>
        <message>
            <source>Wave %1 cannot be checked: %2</source>
            <translation>La vague %1 ne peut pas être vérifiée : %2</translation>
        </message>
        <message>
            <source>The check of wave %1 could not be recorded: %2</source>
            <translation>La vérification de la vague %1 n'a pas pu être enregistrée : %2</translation>
        </message>
        <message>
            <source>Wave %1: the check passed.</source>
            <translation>Vague %1 : la vérification a réussi.</translation>
        </message>
        <message>
            <source>Wave %1: the check FAILED; see its details.</source>
            <translation>Vague %1 : la vérification a ÉCHOUÉ ; voir ses détails.</translation>
        </message>
        <message>
            <source>Apply wave now</source>
            <translation>Appliquer la vague maintenant</translation>
        </message>
        <message numerus="yes">
            <source>Apply wave %1 now? A new generation is made from the active one with its %n mapping(s); the relay uses it at once. Its activation time is not waited for.</source>
            <translation>
                <numerusform>Appliquer la vague %1 maintenant ? Une nouvelle génération est créée à partir de l'active avec sa correspondance (%n) ; le relais l'utilise aussitôt. Son heure d'activation n'est pas attendue.</numerusform>
                <numerusform>Appliquer la vague %1 maintenant ? Une nouvelle génération est créée à partir de l'active avec ses %n correspondances ; le relais l'utilise aussitôt. Son heure d'activation n'est pas attendue.</numerusform>
            </translation>
        </message>
        <message>
            <source>Apply now</source>
            <translation>Appliquer maintenant</translation>
        </message>
        <message>
            <source>Wave %1 was not applied: %2</source>
            <translation>La vague %1 n'a pas été appliquée : %2</translation>
        </message>
        <message>
            <source>Wave %1 is active: generation %2.</source>
            <translation>La vague %1 est active : génération %2.</translation>
        </message>
        <message>
            <source>Remove wave %1 from the draft? It was never pushed.</source>
            <translation>Retirer la vague %1 du brouillon ? Elle n'a jamais été publiée.</translation>
        </message>
        <message>
            <source>Cancel wave %1? It is active: a new generation removes its mappings and restores what they replaced.</source>
            <translation>Annuler la vague %1 ? Elle est active : une nouvelle génération retire ses correspondances et rétablit ce qu'elles remplaçaient.</translation>
        </message>
        <message>
            <source>Cancel wave %1? It will not be applied.</source>
            <translation>Annuler la vague %1 ? Elle ne sera pas appliquée.</translation>
        </message>
        <message>
            <source>Cancel wave</source>
            <translation>Annuler la vague</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Retirer</translation>
        </message>
        <message>
            <source>Keep it</source>
            <translation>La garder</translation>
        </message>
        <message>
            <source>Wave %1 was removed from the draft.</source>
            <translation>La vague %1 a été retirée du brouillon.</translation>
        </message>
        <message>
            <source>Wave %1 is cancelled.</source>
            <translation>La vague %1 est annulée.</translation>
        </message>
        <message>
            <source>Generation %1 removed its mappings.</source>
            <translation>La génération %1 a retiré ses correspondances.</translation>
        </message>
        <message>
            <source>Wave %1 was not cancelled: %2</source>
            <translation>La vague %1 n'a pas été annulée : %2</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Configuration database file.</source>
            <translation>Fichier de la base de données de configuration.</translation>
        </message>
        <message>
            <source>Spool directory (default: beside the database).</source>
            <translation>Répertoire du spool (par défaut : à côté de la base de données).</translation>
        </message>
        <message>
            <source>Start, print the titles of the windows shown, and exit.</source>
            <translation>Démarrer, afficher les titres des fenêtres ouvertes, puis quitter.</translation>
        </message>
        <message>
            <source>Cannot open the database %1:
%2</source>
            <translation>Impossible d'ouvrir la base de données %1 :
%2</translation>
        </message>
        <message>
            <source>Language of the console: en, fr or de (default: View ▸ Language, else the system's language).</source>
            <translation>Langue de la console : en, fr ou de (par défaut : Affichage ▸ Langue, sinon la langue du système).</translation>
        </message>
        <message>
            <source>Unknown language %1: use en, fr or de.</source>
            <translation>Langue inconnue %1 : utilisez en, fr ou de.</translation>
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
            <translation>Console d'administration MailRoute : mappages de domaine et d'utilisateur des zones Relay,
Inbound et Outbound, publication, journaux en direct et relais SMTP intégré.

Environnement :
  MAILROUTE_DB          la base de données lorsque --db n'est pas indiqué (par défaut : MailRoute/mailroute.db
                        dans votre répertoire de données)
  MAILROUTE_NAMESERVER  serveur DNS (HÔTE[:PORT], IPv6 sous la forme [ADRESSE]:PORT) pour le relais et les
                        vérifications de préparation (par défaut : le résolveur du système)

mailroutectl fait de même sans fenêtre (mailroutectl --help).</translation>
        </message>
        <message>
            <source>MAILROUTE_NAMESERVER is not usable: %1</source>
            <translation>MAILROUTE_NAMESERVER est inutilisable : %1</translation>
        </message>
        <message>
            <source>mailroute: the MailRoute console needs a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set); to run the relay without a window, start "mailroutectl serve" or the systemd unit mailroute.service ("systemctl enable --now mailroute.service").</source>
            <translation>mailroute : la console MailRoute a besoin d’une session de bureau (ni DISPLAY ni WAYLAND_DISPLAY n’est défini) ; pour faire tourner le relais sans fenêtre, lancez "mailroutectl serve" ou l’unité systemd mailroute.service ("systemctl enable --now mailroute.service").</translation>
        </message>
        <message>
            <source>MailRoute is already open on %1: its window was brought to the front.</source>
            <translation>MailRoute est déjà ouvert sur %1 : sa fenêtre a été mise au premier plan.</translation>
        </message>
        <message>
            <source>MailRoute is already open on %1 but does not answer; close it or end its process, then start MailRoute again.</source>
            <translation>MailRoute est déjà ouvert sur %1 mais ne répond pas ; fermez-le ou terminez son processus, puis relancez MailRoute.</translation>
        </message>
    </context>
    <context>
        <name>TraceExport</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>Impossible d'écrire %1 : %2</translation>
        </message>
        <message>
            <source>Google Admin console (https://admin.google.com) &gt; Reporting &gt; Email log search: Message ID %1, date from %2 to %3</source>
            <translation>Console d'administration Google (https://admin.google.com) &gt; Rapports &gt; Recherche dans les journaux d'e-mails : ID du message %1, date du %2 au %3</translation>
        </message>
        <message>
            <source>Exchange Online (PowerShell):</source>
            <translation>Exchange Online (PowerShell) :</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ChartPanel</name>
        <message>
            <source>Figures</source>
            <translation>Chiffres</translation>
        </message>
        <message>
            <source>Show the figures of "%1" as a table</source>
            <translation>Afficher les chiffres de « %1 » sous forme de tableau</translation>
        </message>
        <message>
            <source>Figures of "%1"</source>
            <translation>Chiffres de « %1 »</translation>
        </message>
    </context>
    <context>
        <name>mailroute::ChartWidget</name>
        <message>
            <source>Total</source>
            <translation>Total</translation>
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
            <translation>%1 : %2</translation>
        </message>
        <message>
            <source>No figures</source>
            <translation>Aucun chiffre</translation>
        </message>
    </context>
    <context>
        <name>mailroute::OverviewPage</name>
        <message>
            <source>&amp;Refresh</source>
            <translation>&amp;Actualiser</translation>
        </message>
        <message>
            <source>Reading the figures…</source>
            <translation>Lecture des chiffres…</translation>
        </message>
        <message>
            <source>Messages per hour and area, last 24 hours</source>
            <translation>Messages par heure et par zone, dernières 24 heures</translation>
        </message>
        <message>
            <source>Messages per hour and area, last 7 days</source>
            <translation>Messages par heure et par zone, 7 derniers jours</translation>
        </message>
        <message>
            <source>Messages per day and status, last 7 days</source>
            <translation>Messages par jour et par état, 7 derniers jours</translation>
        </message>
        <message>
            <source>Messages in the queue, last 7 days</source>
            <translation>Messages en file d'attente, 7 derniers jours</translation>
        </message>
        <message>
            <source>Top target domains (recipients), last 7 days</source>
            <translation>Principaux domaines de destination (destinataires), 7 derniers jours</translation>
        </message>
        <message>
            <source>Cut-over: Inbound mail by user rules against the domain rule</source>
            <translation>Bascule : courrier Inbound par règles d'utilisateur contre la règle de domaine</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Chargement…</translation>
        </message>
        <message>
            <source>For each Inbound domain: the recipients a user rule sent to the new system, and those the domain rule sent on as before</source>
            <translation>Pour chaque domaine Inbound : les destinataires qu'une règle d'utilisateur a envoyés vers le nouveau système, et ceux que la règle de domaine a transmis comme avant</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>Dernières 24 heures</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>7 derniers jours</translation>
        </message>
        <message>
            <source>Cannot read the message trace: %1</source>
            <translation>Impossible de lire le suivi des messages : %1</translation>
        </message>
        <message>
            <source>Not available</source>
            <translation>Non disponible</translation>
        </message>
        <message>
            <source>Messages received from %1 to %2</source>
            <translation>Messages reçus du %1 au %2</translation>
        </message>
        <message>
            <source>Messages</source>
            <translation>Messages</translation>
        </message>
        <message>
            <source>Delivered</source>
            <translation>Distribués</translation>
        </message>
        <message>
            <source>Deferred</source>
            <translation>Différés</translation>
        </message>
        <message>
            <source>Bounced</source>
            <translation>Rejetés après acceptation</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>Refusés</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>En file d'attente</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1 : %2</translation>
        </message>
        <message>
            <source>No messages in these 7 days</source>
            <translation>Aucun message pendant ces 7 jours</translation>
        </message>
        <message>
            <source>No rule</source>
            <translation>Aucune règle</translation>
        </message>
        <message>
            <source>Recipients</source>
            <translation>Destinataires</translation>
        </message>
        <message>
            <source>User rules (new system)</source>
            <translation>Règles d'utilisateur (nouveau système)</translation>
        </message>
        <message>
            <source>Domain rule</source>
            <translation>Règle de domaine</translation>
        </message>
        <message>
            <source>Nothing delivered in these 7 days</source>
            <translation>Rien de distribué pendant ces 7 jours</translation>
        </message>
        <message>
            <source>No Inbound mail in these 7 days</source>
            <translation>Aucun courrier Inbound pendant ces 7 jours</translation>
        </message>
    </context>
    <context>
        <name>mailroute::TracePage</name>
        <message>
            <source>&amp;Search</source>
            <translation>&amp;Rechercher</translation>
        </message>
        <message>
            <source>&amp;Export CSV…</source>
            <translation>&amp;Exporter en CSV…</translation>
        </message>
        <message>
            <source>&amp;Copy trace query</source>
            <translation>&amp;Copier la requête de suivi</translation>
        </message>
        <message>
            <source>Sender or recipient, original or rewritten, or a part of it</source>
            <translation>Expéditeur ou destinataire, d'origine ou réécrit, ou une partie</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <source>Message-ID, whole or a part of it</source>
            <translation>Message-ID, entier ou une partie</translation>
        </message>
        <message>
            <source>Message-ID</source>
            <translation>Message-ID</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Any status</source>
            <translation>Tous les états</translation>
        </message>
        <message>
            <source>Period</source>
            <translation>Période</translation>
        </message>
        <message>
            <source>Last 24 hours</source>
            <translation>Dernières 24 heures</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>7 derniers jours</translation>
        </message>
        <message>
            <source>Last 30 days</source>
            <translation>30 derniers jours</translation>
        </message>
        <message>
            <source>Last 90 days</source>
            <translation>90 derniers jours</translation>
        </message>
        <message>
            <source>Any time</source>
            <translation>Toute date</translation>
        </message>
        <message>
            <source>Between…</source>
            <translation>Entre…</translation>
        </message>
        <message>
            <source>Received from</source>
            <translation>Reçu à partir du</translation>
        </message>
        <message>
            <source>Received until</source>
            <translation>Reçu jusqu'au</translation>
        </message>
        <message>
            <source>Save the results as CSV, with the columns of Google's Email Log Search export</source>
            <translation>Enregistrer les résultats en CSV, avec les colonnes de l'export de la recherche dans les journaux d'e-mails de Google</translation>
        </message>
        <message>
            <source>Copy the Exchange Online and Google Admin searches for the selected message's Message-ID, to follow it into the tenant</source>
            <translation>Copier les recherches Exchange Online et Google Admin pour le Message-ID du message choisi, pour le suivre dans le tenant</translation>
        </message>
        <message>
            <source>Messages found</source>
            <translation>Messages trouvés</translation>
        </message>
        <message>
            <source>Choose a message to see its timeline.</source>
            <translation>Choisissez un message pour voir son historique.</translation>
        </message>
        <message>
            <source>Timeline of the message</source>
            <translation>Historique du message</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Heure</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>Événement</translation>
        </message>
        <message>
            <source>Area</source>
            <translation>Zone</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Détails</translation>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation>&amp;Adresse :</translation>
        </message>
        <message>
            <source>&amp;Message-ID:</source>
            <translation>&amp;Message-ID :</translation>
        </message>
        <message>
            <source>S&amp;tatus:</source>
            <translation>É&amp;tat :</translation>
        </message>
        <message>
            <source>&amp;Period:</source>
            <translation>&amp;Période :</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>Recherche…</translation>
        </message>
        <message>
            <source>Cannot search the trace: %1</source>
            <translation>Impossible de chercher dans le suivi : %1</translation>
        </message>
        <message numerus="yes">
            <source>The first %n message(s); narrow the search to see the others.</source>
            <translation>
                <numerusform>Le premier message (%n) ; affinez la recherche pour voir les autres.</numerusform>
                <numerusform>Les %n premiers messages ; affinez la recherche pour voir les autres.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) found</source>
            <translation>
                <numerusform>%n message trouvé</numerusform>
                <numerusform>%n messages trouvés</numerusform>
            </translation>
        </message>
        <message>
            <source>Reading the timeline…</source>
            <translation>Lecture de l'historique…</translation>
        </message>
        <message>
            <source>Cannot read the timeline: %1</source>
            <translation>Impossible de lire l'historique : %1</translation>
        </message>
        <message>
            <source>Message-ID: %1</source>
            <translation>Message-ID : %1</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>(aucun)</translation>
        </message>
        <message>
            <source>Subject: %1</source>
            <translation>Objet : %1</translation>
        </message>
        <message>
            <source>Queue ID: %1   Client: %2 (HELO %3)   TLS: %4   Size: %5</source>
            <translation>ID de file : %1   Client : %2 (HELO %3)   TLS : %4   Taille : %5</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>inconnue</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1 : %2</translation>
        </message>
        <message>
            <source>%1 → %2: %3</source>
            <translation>%1 → %2 : %3</translation>
        </message>
        <message>
            <source>Export the trace results</source>
            <translation>Exporter les résultats du suivi</translation>
        </message>
        <message numerus="yes">
            <source>%n message(s) exported to %1</source>
            <translation>
                <numerusform>%n message exporté vers %1</numerusform>
                <numerusform>%n messages exportés vers %1</numerusform>
            </translation>
        </message>
        <message>
            <source>The Exchange Online and Google searches for %1 are on the clipboard.</source>
            <translation>Les recherches Exchange Online et Google pour %1 sont dans le presse-papiers.</translation>
        </message>
    </context>
    <context>
        <name>mailroute::TraceResultModel</name>
        <message>
            <source>Queued</source>
            <translation>En file d'attente</translation>
        </message>
        <message>
            <source>Deferred</source>
            <translation>Différés</translation>
        </message>
        <message>
            <source>Delivered</source>
            <translation>Distribués</translation>
        </message>
        <message>
            <source>Bounced</source>
            <translation>Rejetés après acceptation</translation>
        </message>
        <message>
            <source>Refused</source>
            <translation>Refusés</translation>
        </message>
        <message>
            <source>No rule</source>
            <translation>Aucune règle</translation>
        </message>
        <message>
            <source>%1
Subject: %2</source>
            <translation>%1
Objet : %2</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Heure</translation>
        </message>
        <message>
            <source>From</source>
            <translation>De</translation>
        </message>
        <message>
            <source>To (as sent)</source>
            <translation>À (tel qu'envoyé)</translation>
        </message>
        <message>
            <source>To (as delivered)</source>
            <translation>À (tel que distribué)</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Area</source>
            <translation>Zone</translation>
        </message>
    </context>
</TS>
