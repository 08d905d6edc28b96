# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.
# Latvian: categories zero (0, 10-20, 30, ..., 111), one (1, 21, 31, 101), other.
# { $agent } always stays in the nominative (sentence subject).

## Conversation

greeting = Labdien! Esmu veikala virtuālais asistents. Kā varu Jums šodien palīdzēt?
not-understood = Atvainojiet, es īsti nesapratu. Vai varat to pateikt citiem vārdiem?
channel-unsupported-content = Atvainojiet, šeit varu lasīt tikai teksta ziņas. Vai, lūdzu, varat uzrakstīt savu jautājumu?
clarify = Ne līdz galam sapratu, ko Jūs domājat. Vai runa ir par kādu no šiem?
out-of-scope = Diemžēl varu palīdzēt tikai ar jautājumiem par mūsu veikalu: pasūtījumiem, piegādi, preču atgriešanu, maksājumiem un Jūsu kontu. Ar ko varu Jums noderēt?
slot-order-number = Vai, lūdzu, varat norādīt pasūtījuma numuru? To atradīsiet pasūtījuma apstiprinājuma e-pastā.
slot-order-number-again = Lai varētu pārbaudīt pasūtījumu, man vajadzīgs tā numurs. To atradīsiet pasūtījuma apstiprinājuma e-pastā: tas ir 7 ciparu skaitlis, piemēram, 1004527.
slot-give-up = Diemžēl bez pasūtījuma numura es nevaru atrast Jūsu pasūtījumu. Ja vēlaties, varu pieaicināt kolēģi no mūsu klientu atbalsta komandas.
slot-give-up-offline = Diemžēl bez pasūtījuma numura es nevaru atrast Jūsu pasūtījumu. Mūsu klientu atbalsta komanda šobrīd nav pieejama, taču ar zemāk redzamo pogu "Runāt ar darbinieku" varat atstāt tai savu pieprasījumu, un tā Jums atbildēs, tiklīdz būs atpakaļ.
contact-details-given = Paldies par Jūsu kontaktinformāciju. Diemžēl es nevaru ar Jums sazināties tieši, taču, ja vēlaties, varu pieaicināt kolēģi no mūsu klientu atbalsta komandas, kas to redzēs.
contact-details-given-offline = Paldies par Jūsu kontaktinformāciju. Diemžēl es nevaru ar Jums sazināties tieši. Mūsu klientu atbalsta komanda šobrīd nav pieejama, taču ar zemāk redzamo pogu "Runāt ar darbinieku" varat atstāt tai savu pieprasījumu, un tā Jums atbildēs, tiklīdz būs atpakaļ.
slot-abandoned = Labi! Ar ko vēl varu Jums palīdzēt?
confirmation-declined = Labi, pasūtījums { $order } paliek nemainīts. Ar ko vēl varu Jums palīdzēt?
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = Atvainojos par sagādātajām neērtībām.
action-failed = Atvainojiet, pašlaik nevaru to pārbaudīt, jo mūsu sistēma neatbild. Ja vēlaties, varu pieaicināt kolēģi no mūsu klientu atbalsta komandas.
action-failed-offline = Atvainojiet, pašlaik nevaru to pārbaudīt, jo mūsu sistēma neatbild. Mūsu klientu atbalsta komanda šobrīd nav pieejama, taču ar zemāk redzamo pogu "Runāt ar darbinieku" varat atstāt tai savu pieprasījumu, un tā Jums atbildēs, tiklīdz būs atpakaļ.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = Šis jautājums kādam no mūsu kolēģiem jāizskata personīgi, tāpēc nododu Jūsu pieprasījumu mūsu klientu atbalsta komandai.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Runāt ar darbinieku
whatsapp-list-button = Skatīt iespējas

## "Did this help?"

feedback-ask = Vai šī atbilde Jums palīdzēja?
quick-reply-yes = Jā, paldies
quick-reply-no = Nē
feedback-thanks = Paldies, priecājos, ka varēju palīdzēt!
feedback-sorry = Man žēl, ka tas nepalīdzēja. Vai varat mazliet sīkāk pastāstīt, kas Jums nepieciešams?

## Handoff to a person

handoff-queued = Jūsu vieta rindā: { $position }. Paredzamais gaidīšanas laiks ir aptuveni { $minutes } { PLURAL($minutes) ->
        [zero] minūšu
        [one] minūte
       *[other] minūtes
    }.
handoff-queued-update = Paldies, ka gaidāt! Tagad Jūsu vieta rindā ir { $position }, un gaidīt atliks vēl aptuveni { $minutes } { PLURAL($minutes) ->
        [zero] minūšu
        [one] minūte
       *[other] minūtes
    }.
handoff-queued-no-estimate = Jūsu vieta rindā: { $position }. Pašlaik neviens no mūsu kolēģiem nav brīvs, tāpēc nevaru pateikt, cik ilgi būs jāgaida; Jums atbildēs pirmais kolēģis, kurš atbrīvosies. Varat arī atstāt šeit savu e-pasta adresi, un atbildi nosūtīsim Jums pa e-pastu.
handoff-queued-update-no-estimate = Paldies, ka gaidāt! Tagad Jūsu vieta rindā ir { $position }. Jums atbildēs pirmais kolēģis, kurš atbrīvosies.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Dažiem agrāk saņemtiem vai steidzamākiem pieprasījumiem ir dota priekšroka, tāpēc tagad Jūsu vieta rindā ir { $position }, un gaidīt atliks vēl aptuveni { $minutes } { PLURAL($minutes) ->
        [zero] minūšu
        [one] minūte
       *[other] minūtes
    }. Paldies par pacietību!
handoff-moved-back-no-estimate = Dažiem agrāk saņemtiem vai steidzamākiem pieprasījumiem ir dota priekšroka, tāpēc tagad Jūsu vieta rindā ir { $position }. Jums atbildēs pirmais kolēģis, kurš atbrīvosies. Paldies par pacietību!
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = Jūsu vieta rindā joprojām ir { $position }, un gaidīt tagad atliks aptuveni { $minutes } { PLURAL($minutes) ->
        [zero] minūšu
        [one] minūte
       *[other] minūtes
    }.
handoff-wait-unknown = Jūsu vieta rindā joprojām ir { $position }. Pašlaik neviens no mūsu kolēģiem nav brīvs, tāpēc nevaru pateikt, cik ilgi būs jāgaida; Jums atbildēs pirmais kolēģis, kurš atbrīvosies.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Paldies! Kolēģis, kurš pārņems sarunu, redzēs arī šo ziņu. Jūsu vieta rindā joprojām ir { $position }.
handoff-assigned = { $agent } no mūsu klientu atbalsta komandas pievienojās sarunai.
handoff-offline = Mūsu klientu atbalsta komanda pašlaik nav pieejama un atsāks darbu { $opens_at }. Ja atstāsiet šeit savu e-pasta adresi, mēs Jums uzrakstīsim, tiklīdz būsim atpakaļ.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Mūsu klientu atbalsta komanda pašlaik nav pieejama un atsāks darbu { $opens_at }.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = Atvainojiet, ka nespēju Jums ar to palīdzēt. Nododu Jūsu jautājumu mūsu klientu atbalsta komandai.
handoff-returned = Jūs atkal sarunājaties ar virtuālo asistentu. Kā vēl varu Jums palīdzēt?
handoff-agent-left = Diemžēl { $agent } vairs nevar turpināt sarunu. Jūsu vieta rindā saglabājas, un Jums šeit atbildēs pirmais kolēģis, kurš atbrīvosies.
email-saved = Paldies! Atbildi nosūtīsim uz e-pasta adresi { $email }, tiklīdz mūsu komanda būs atpakaļ.
email-saved-queued = Paldies! Atbildi nosūtīsim uz e-pasta adresi { $email }. Ja šo sarunu neaizvērsiet, pirmais kolēģis, kurš atbrīvosies, Jums atbildēs arī šeit.
queue-full = Atvainojiet, pašlaik visi mūsu kolēģi ir aizņemti un rinda ir pilna. Lūdzu, mēģiniet vēlreiz pēc dažām minūtēm; tikmēr labprāt turpināšu Jums palīdzēt šeit.
queue-left = Tā kā kādu laiku nebija nekādu darbību, Jūsu vieta rindā ir atbrīvota. Ja Jums joprojām nepieciešama kolēģa palīdzība, lūdzu, pajautājiet vēlreiz.

## End of the conversation

closed-customer = Jūs pabeidzāt sarunu. Paldies, ka sazinājāties ar mums!
closed-agent = { $agent } pabeidza sarunu. Paldies, ka sazinājāties ar mums!
survey-ask = Kā Jūs novērtētu šo sarunu? Lūdzu, izvēlieties vērtējumu no 1 (slikti) līdz 5 (izcili).
rating-thanks = Paldies par vērtējumu! Tas mums palīdz kļūt labākiem.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = pirmdien plkst. { $time }
opens-at-tue = otrdien plkst. { $time }
opens-at-wed = trešdien plkst. { $time }
opens-at-thu = ceturtdien plkst. { $time }
opens-at-fri = piektdien plkst. { $time }
opens-at-sat = sestdien plkst. { $time }
opens-at-sun = svētdien plkst. { $time }
opens-at-today = šodien plkst. { $time }

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = pirmdiena
day-tue = otrdiena
day-wed = trešdiena
day-thu = ceturtdiena
day-fri = piektdiena
day-sat = sestdiena
day-sun = svētdiena
hours-always = visu diennakti, katru dienu

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = Šo palīdzības rakstu neizdevās atrast. Iespējams, tas ir pārvietots vai izdzēsts.
