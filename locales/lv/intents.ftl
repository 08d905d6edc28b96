# The bot's answer to each intent (answer-<intent>) and the label of the
# quick-reply button that asks for it (label-<intent>). Answers never promise
# what the bot cannot do: it explains and, where needed, hands over to a person.
# Answers of intents that ask for the order number receive it as { $order }.
# Every answer may use the shop's facts from the config: { $hours } (a list such as
# "Monday–Friday 09:00–18:00", or hours-always), { $zone } ("Europe/Berlin, UTC+01:00"),
# { $email } and { $phone }. Never write hours, the email or the phone number by hand.
# { $hours_kind } is always (no hours configured: support never closes) or scheduled:
# select on it so an always-open team is not given a time zone or "outside hours".
# Out of support hours, a handoff answer is replaced by answer-<intent>-offline,
# which must not promise a person now and asks for the customer's email address
# (the offline notice that follows then only says when the team is back).
# UI names: "Mani pasūtījumi", "Konts" > "Abonements", "Aizmirsāt paroli?", "Paziņot man".

## Small talk

answer-greet = Labdien! Kā varu Jums šodien palīdzēt? Varat man jautāt par pasūtījumiem, piegādi, preču atgriešanu vai maksājumiem.
label-greet = Sveiki
answer-goodbye = Paldies, ka iegriezāties! Uz redzēšanos! Ja rodas kādi jautājumi, esmu šeit.
label-goodbye = Uz redzēšanos
answer-thanks = Lūdzu! Vai varu vēl ar kaut ko palīdzēt?
label-thanks = Paldies
answer-dont_know = Tas nekas. Pasūtījuma numuru atradīsiet pasūtījuma apstiprinājuma e-pastā (tas ir 7 ciparu skaitlis, piemēram, 1004527); ja Jums ir konts, tas redzams arī sadaļā "Mani pasūtījumi". Kā varu Jums palīdzēt?
label-dont_know = Nezinu
answer-affirm = Lieliski! Ko vēl varu Jūsu labā darīt?
label-affirm = Jā
answer-deny = Labi. Ja vēl kas būs vajadzīgs, droši rakstiet.
label-deny = Nē
answer-bot_identity = Esmu veikala virtuālais asistents – datorprogramma, nevis cilvēks. Uz lielāko daļu jautājumu varu atbildēt uzreiz, un, kad vien vēlaties, varu pieaicināt kolēģi no mūsu klientu atbalsta komandas.
label-bot_identity = Vai sarunājos ar robotu?
    .short = Vai tas ir robots?

## Going to a person

answer-human_agent = Protams, pieaicināšu kolēģi no mūsu klientu atbalsta komandas.
answer-human_agent-offline = Es labprāt pieaicinātu kolēģi, taču mūsu klientu atbalsta komanda pašlaik nav pieejama. Ja atstāsiet šeit savu e-pasta adresi, komanda Jums atbildēs, tiklīdz būs atpakaļ.
label-human_agent = Runāt ar darbinieku
answer-complaint = Man patiešām ļoti žēl, un es saprotu, cik tas ir nepatīkami. Paldies, ka mums par to pastāstījāt! Kolēģis to izskatīs personīgi un prioritārā kārtā.
answer-complaint-offline = Man patiešām ļoti žēl, un es saprotu, cik tas ir nepatīkami. Paldies, ka mums par to pastāstījāt! Mūsu klientu atbalsta komanda pašlaik nav pieejama. Ja atstāsiet šeit savu e-pasta adresi, kolēģis to izskatīs personīgi un prioritārā kārtā, tiklīdz komanda būs atpakaļ, un atbildēs Jums pa e-pastu.
label-complaint = Iesniegt sūdzību
answer-account_delete = Saprotu, ka vēlaties dzēst savu kontu vai personas datus. Jūsu drošības labad šo pieprasījumu personīgi izskata mūsu klientu atbalsta komanda: kolēģis pārliecināsies par Jūsu identitāti un 30 dienu laikā dzēsīs Jūsu kontu un personas datus. Rēķini un pasūtījumu uzskaites dati tiek glabāti 10 gadus, jo to prasa nodokļu likumi, un netiek izmantoti nekam citam.
answer-account_delete-offline = Saprotu, ka vēlaties dzēst savu kontu vai personas datus. Jūsu drošības labad šo pieprasījumu personīgi izskata mūsu klientu atbalsta komanda: kolēģis vispirms pārliecināsies par Jūsu identitāti. Taču pašlaik komanda nav pieejama. Ja atstāsiet šeit savu e-pasta adresi, sazināsimies ar Jums, tiklīdz būsim atpakaļ. Pēc tam 30 dienu laikā dzēsīsim Jūsu kontu un personas datus. Rēķini un pasūtījumu uzskaites dati tiek glabāti 10 gadus, jo to prasa nodokļu likumi, un netiek izmantoti nekam citam.
label-account_delete = Dzēst manu kontu

## Orders

answer-order_status = Paldies! Lai redzētu, kur pašlaik atrodas pasūtījums { $order }, atveriet izsekošanas saiti nosūtīšanas apstiprinājuma e-pastā. Ja pasūtījāt ar savu kontu, tā pati saite ir arī sadaļā "Mani pasūtījumi". Parasti pasūtījumi tiek nosūtīti no mūsu noliktavas 1 darba dienas laikā, un līdz pirmajam ierakstam izsekošanā var paiet līdz 24 stundām.
label-order_status = Kur ir mans pasūtījums?
    .short = Kur ir pasūtījums?
answer-order_cancel = Pasūtījumu { $order } varat atcelt sadaļā "Mani pasūtījumi", kamēr tas vēl nav nosūtīts. Ja tas jau ir nosūtīts no mūsu noliktavas, varat atteikties to pieņemt vai 30 dienu laikā bez maksas to atgriezt.
confirm-order_cancel = Lai pārliecinātos: vai vēlaties, lai es atceļu pasūtījumu { $order }?
label-order_cancel = Atcelt pasūtījumu
answer-change_address = Pasūtījuma { $order } piegādes adresi varat mainīt sadaļā "Mani pasūtījumi", kamēr pasūtījums vēl nav nosūtīts. Kad tas jau ir ceļā, lūdzu, izmantojiet izsekošanas saiti nosūtīšanas e-pastā, lai pāradresētu sūtījumu kurjerdienesta sistēmā.
label-change_address = Mainīt piegādes adresi
    .short = Mainīt adresi
answer-delivery_delay = Man žēl, ka pasūtījums { $order } vēl nav pienācis. Jaunāko statusu varat redzēt, atverot izsekošanas saiti nosūtīšanas e-pastā; ja tur rakstīts "piegādāts", lūdzu, pajautājiet kaimiņiem vai ēkas reģistratūrā un ieskatieties pastkastītē. Ja sūtījuma statuss 3 darba dienas nemainās, lūdzu, sazinieties ar mūsu klientu atbalsta komandu tepat tērzēšanā: mēs kopā ar kurjerdienestu uzsāksim sūtījuma meklēšanu, kas var ilgt līdz 10 darba dienām. Ja paka ir pazudusi, mēs nosūtīsim tās pašas preces vēlreiz vai atmaksāsim pilnu summu – kā Jūs vēlaties.
label-delivery_delay = Pasūtījums kavējas
answer-product_availability = Katras preces lapā redzama aktuālā pieejamība katram izmēram un krāsai. Ja prece ir izpārdota, noklikšķiniet uz "Paziņot man", un mēs Jums nosūtīsim e-pastu, tiklīdz tā atkal būs pieejama.
label-product_availability = Vai prece ir pieejama?
    .short = Preces pieejamība

## Shipping, returns and refunds

answer-shipping_info = Piegādājam uz visām ES valstīm, Apvienoto Karalisti, Turciju un Malaiziju. Standarta piegāde ES valstīs aizņem 2–4 darba dienas un maksā 4,90 € (pasūtījumiem virs 50 € – bez maksas); uz Apvienoto Karalisti piegāde aizņem 3–5 darba dienas, bet uz Turciju un Malaiziju – 5–10 darba dienas, un tās vienotā maksa ir 14,90 €. Ekspresspiegāde maksā 9,90 €, un sūtījums pienāk nākamajā darba dienā, ja pasūtījumu veicat darba dienā līdz plkst. 14:00 pēc Centrāleiropas laika (15:00 pēc Latvijas laika). Sūtījumiem ārpus ES var tikt piemēroti muitas nodokļi un importa PVN. Mēs esam tikai interneta veikals, tāpēc pasūtījumu nevar izņemt veikalā, taču varat izvēlēties piegādi uz saņemšanas punktu sev tuvumā par 3,90 € (3–5 darba dienas).
label-shipping_info = Piegādes izmaksas un termiņi
    .short = Piegādes nosacījumi
answer-return_item = Nelietotas preces ar visām etiķetēm varat atgriezt 30 dienu laikā pēc piegādes. Sāciet atgriešanu sadaļā "Mani pasūtījumi", izdrukājiet bezmaksas atgriešanas uzlīmi (vai uzrādiet QR kodu) un nododiet paku jebkurā pakomātā vai nodošanas punktā. Tiešu apmaiņu neveicam: ja vajadzīgs cits izmērs, lūdzu, atgrieziet preci šādā veidā un veiciet jaunu pasūtījumu ar vajadzīgo izmēru. Nevar atgriezt apakšveļu un peldkostīmus ar bojātu higiēnas plombu, personalizētas preces un atvērtu programmatūru. Naudu atmaksāsim 5 darba dienu laikā pēc sūtījuma saņemšanas.
label-return_item = Atgriezt preci
answer-refund_request = Naudu atmaksājam, izmantojot to pašu maksājuma veidu, ar kuru norēķinājāties (ja maksājāt ar dāvanu karti – uz to pašu karti), 5 darba dienu laikā pēc tam, kad atgrieztā prece ir nonākusi pie mums vai pasūtījums ir atcelts; bankai var būt vajadzīgas vēl 2–3 darba dienas, lai summa parādītos Jūsu kontā. Ja kopš Jūsu atgrieztā sūtījuma saņemšanas pagājušas vairāk nekā 10 darba dienas, bet nauda joprojām nav pienākusi, lūdzu, nospiediet zemāk pogu "Runāt ar darbinieku", un kolēģis pārbaudīs, kas noticis. Piegādes izmaksas atmaksājam, ja atgriežat visu pasūtījumu.
label-refund_request = Kur ir mana naudas atmaksa?
    .short = Naudas atmaksa
answer-damaged_item = Man ļoti žēl, ka pasūtījums pienāca bojāts vai neatbilst pasūtītajam. Lūdzu, ziņojiet mums pēc iespējas ātrāk, vēlams 14 dienu laikā pēc piegādes: nofotografējiet preci un iepakojumu un sadaļā "Mani pasūtījumi" sāciet atgriešanu, kā iemeslu izvēloties "Bojāta prece" vai "Nepareiza prece". Mēs nosūtīsim jaunu preci vai, ja vēlaties, atmaksāsim naudu, un atgriešana ir bez maksas. Lūdzu, saglabājiet iepakojumu, līdz gadījums ir atrisināts.
label-damaged_item = Prece ir bojāta vai nepareiza
    .short = Bojāta vai nepareiza
answer-warranty = Visām mūsu precēm ir 2 gadu garantija no piegādes dienas. Lai iesniegtu garantijas pieteikumu, atveriet sadaļu "Mani pasūtījumi", aprakstiet defektu un pievienojiet fotoattēlus; mēs preci salabosim vai apmainīsim, bet, ja ne viens, ne otrs nav iespējams, atmaksāsim naudu. Garantija nesedz parastu nolietojumu, bojājumus nepareizas lietošanas dēļ un nejaušus bojājumus, piemēram, ja prece ir nokritusi un saplīsusi.
label-warranty = Garantija

## Payment and invoices

answer-payment_problem = Man žēl, ka ar maksājumu radušās problēmas. Ja maksājums neizdevās, lūdzu, pārbaudiet kartes datus un norēķinu adresi, apstipriniet maksājumu bankas lietotnē, ja tas tiek prasīts (3-D Secure), pārliecinieties, ka Jūsu kartei ir atļauti maksājumi internetā un nav sasniegts limits, vai izmēģiniet citu maksājuma veidu. Ja nauda noņemta divreiz, otrā summa parasti ir tikai pagaidu rezervācija pēc neizdevuša mēģinājuma, ko banka atceļ 5 darba dienu laikā; ja arī pēc tam bankas konta izrakstā redzami abi maksājumi, nosūtiet izrakstu mūsu klientu atbalsta komandai, un mēs atmaksāsim lieko maksājumu.
label-payment_problem = Problēma ar maksājumu
    .short = Maksājuma problēma
answer-payment_methods = Pieņemam Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay un bankas pārskaitījumu. Maksājumu pa daļām (nomaksu) un samaksu skaidrā naudā piegādes brīdī (pēcmaksu) nepiedāvājam. Ja maksājat ar bankas pārskaitījumu, pasūtījumu nosūtām, tiklīdz maksājums ir saņemts mūsu kontā; parasti tas aizņem 1–2 darba dienas.
label-payment_methods = Maksājuma veidi
answer-invoice_request = Rēķins ir pievienots nosūtīšanas apstiprinājuma e-pastam, un to jebkurā laikā varat lejupielādēt sadaļā "Mani pasūtījumi". Ja Jums vajadzīgs rēķins uzņēmumam, lūdzu, pirms pasūtījuma veikšanas pievienojiet savam kontam uzņēmuma nosaukumu un PVN maksātāja numuru. Jau izrakstītu rēķinu mainīt nevar, taču 30 dienu laikā kolēģi var sagatavot Jums labotu rēķinu.
label-invoice_request = Saņemt rēķinu
answer-discount_code = Atlaides kodu ievada grozā pirms apmaksas, vienu kodu katram pasūtījumam; pēc pasūtījuma noformēšanas kodu pievienot vairs nevar. Ja kods nedarbojas, lūdzu, pārbaudiet tā derīguma termiņu un minimālo pasūtījuma summu, kā arī to, vai koda sākumā vai beigās nav palikusi lieka atstarpe (lielie un mazie burti nav svarīgi). Atlaižu kodi neattiecas uz dāvanu kartēm un precēm ar jau samazinātu cenu, ja vien koda noteikumos nav norādīts citādi.
label-discount_code = Atlaides kods nedarbojas
    .short = Kods nedarbojas
answer-subscription_cancel = Abonementu varat atcelt jebkurā laikā sadaļā "Konts" > "Abonements". Tas paliek spēkā līdz apmaksātā perioda beigām, un maksa vairs netiks iekasēta. Ja gada abonementu atceļat 14 dienu laikā pēc iegādes un tā priekšrocības vēl nav izmantotas, atmaksāsim visu summu – 49 €.
label-subscription_cancel = Atcelt abonementu
answer-newsletter_unsubscribe = No mūsu jaunumu vēstulēm varat atteikties jebkurā laikā: katras vēstules beigās ir saite, ar kuru var atteikties no abonēšanas. Noklikšķiniet uz tās, un vēstules vairs nepienāks. Konts šim nolūkam nav jādzēš. E-pastus par Jūsu pasūtījumiem, piemēram, pasūtījuma un nosūtīšanas apstiprinājumus, saņemsiet arī turpmāk.
label-newsletter_unsubscribe = Atteikties no jaunumiem
    .short = Jaunumu atteikšana

## Account and contact

answer-account_login = Lai atjaunotu paroli, pieteikšanās lapā noklikšķiniet uz "Aizmirsāt paroli?", un mēs Jums nosūtīsim e-pastu ar saiti, kas ir derīga 1 stundu. Ja e-pasts nepienāk, lūdzu, pārbaudiet surogātpasta (spam) mapi. Drošības nolūkos pēc 5 nepareizi ievadītām parolēm konts uz 15 minūtēm tiek bloķēts; pēc tam varat mēģināt vēlreiz.
label-account_login = Nevaru pieteikties
answer-business_hours = { $hours_kind ->
        [always] Mūsu klientu atbalsta komanda strādā visu diennakti, katru dienu. Arī es varu palīdzēt jebkurā laikā, un vajadzības gadījumā sarunu var pārņemt kāds no mūsu kolēģiem.
       *[scheduled] Mūsu klientu atbalsta komandas darba laiks: { $hours } (laika josla: { $zone }). Savukārt es varu palīdzēt jebkurā laikā, un ārpus darba laika Jūs varat atstāt ziņu komandai.
    }
label-business_hours = Darba laiks
answer-contact_info = { $hours_kind ->
        [always] Ar mums varat sazināties visu diennakti pa e-pastu { $email } vai pa tālruni { $phone }. Vai arī vienkārši rakstiet šeit: es palīdzēšu uzreiz, un vajadzības gadījumā sarunu var pārņemt kāds no mūsu kolēģiem.
       *[scheduled] Ar mums varat sazināties pa e-pastu { $email } vai pa tālruni { $phone } klientu atbalsta darba laikā: { $hours } (laika josla: { $zone }). Vai arī vienkārši rakstiet šeit: es palīdzēšu uzreiz, bet darba laikā sarunu var pārņemt kāds no mūsu kolēģiem.
    }
label-contact_info = Kontaktinformācija
