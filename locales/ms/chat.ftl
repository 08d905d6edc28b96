# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.
# Malay: CLDR has only the category "other", so no select is needed ("{ $minutes } minit").

## Conversation

greeting = Helo! Saya pembantu maya kedai ini. Apa yang boleh saya bantu hari ini?
not-understood = Maaf, saya kurang faham. Boleh anda terangkan dengan cara lain?
channel-unsupported-content = Maaf, saya hanya dapat membaca mesej teks di sini. Boleh taipkan soalan anda?
clarify = Saya kurang pasti maksud anda. Adakah salah satu daripada yang berikut?
out-of-scope = Maaf, saya hanya dapat menjawab soalan tentang kedai kami: pesanan, penghantaran, pemulangan, pembayaran dan akaun anda. Apa yang boleh saya bantu?
slot-order-number = Boleh berikan nombor pesanan anda? Anda boleh mendapatkannya dalam e-mel pengesahan pesanan.
slot-order-number-again = Saya perlukan nombor pesanan anda untuk menyemaknya. Nombor ini terdapat dalam e-mel pengesahan pesanan anda dan mempunyai 7 digit, contohnya 1004527.
slot-give-up = Maaf, tanpa nombor pesanan, saya tidak dapat menyemak pesanan anda. Jika anda mahu, saya boleh menghubungkan anda dengan wakil pasukan khidmat pelanggan kami.
slot-give-up-offline = Maaf, tanpa nombor pesanan, saya tidak dapat menyemak pesanan anda. Pasukan khidmat pelanggan kami tiada di talian pada waktu ini, tetapi anda boleh meninggalkan permintaan untuk pasukan kami melalui butang "Hubungi wakil" di bawah. Mereka akan membalas sebaik sahaja kembali bertugas.
contact-details-given = Terima kasih atas maklumat anda. Saya tidak dapat menghubungi anda sendiri, tetapi jika anda mahu, saya boleh menghubungkan anda dengan wakil pasukan khidmat pelanggan kami, yang akan dapat melihat maklumat tersebut.
contact-details-given-offline = Terima kasih atas maklumat anda. Saya tidak dapat menghubungi anda sendiri. Pasukan khidmat pelanggan kami tiada di talian pada waktu ini, tetapi anda boleh meninggalkan permintaan untuk pasukan kami melalui butang "Hubungi wakil" di bawah. Mereka akan membalas sebaik sahaja kembali bertugas.
slot-abandoned = Tiada masalah. Apa lagi yang boleh saya bantu?
confirmation-declined = Baiklah, pesanan { $order } kekal seperti sedia ada. Apa lagi yang boleh saya bantu?
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = Saya mohon maaf atas kesulitan ini.
action-failed = Maaf, saya tidak dapat menyemaknya sekarang kerana sistem kami tidak bertindak balas. Jika anda mahu, saya boleh menghubungkan anda dengan wakil pasukan khidmat pelanggan kami.
action-failed-offline = Maaf, saya tidak dapat menyemaknya sekarang kerana sistem kami tidak bertindak balas. Pasukan khidmat pelanggan kami tiada di talian pada waktu ini, tetapi anda boleh meninggalkan permintaan untuk pasukan kami melalui butang "Hubungi wakil" di bawah. Mereka akan membalas sebaik sahaja kembali bertugas.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = Perkara ini perlu disemak sendiri oleh salah seorang wakil kami, jadi saya akan memanjangkan permintaan anda kepada pasukan khidmat pelanggan kami.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Hubungi wakil
whatsapp-list-button = Lihat pilihan

## "Did this help?"

feedback-ask = Adakah jawapan ini membantu?
quick-reply-yes = Ya, terima kasih
quick-reply-no = Tidak
feedback-thanks = Terima kasih, gembira dapat membantu!
feedback-sorry = Maaf kerana jawapan itu tidak membantu. Boleh anda ceritakan sedikit lagi tentang apa yang anda perlukan?

## Handoff to a person

handoff-queued = Anda kini nombor { $position } dalam giliran. Anggaran masa menunggu ialah kira-kira { $minutes } minit.
handoff-queued-update = Terima kasih kerana menunggu. Anda kini nombor { $position } dalam giliran, kira-kira { $minutes } minit lagi.
handoff-queued-no-estimate = Anda kini nombor { $position } dalam giliran. Buat masa ini, semua wakil kami sedang sibuk, jadi saya tidak dapat memberikan anggaran masa menunggu. Wakil kami akan membalas sebaik sahaja ada yang lapang. Anda juga boleh meninggalkan alamat e-mel anda di sini untuk menerima jawapan melalui e-mel.
handoff-queued-update-no-estimate = Terima kasih kerana menunggu. Anda kini nombor { $position } dalam giliran. Wakil kami akan membalas sebaik sahaja ada yang lapang.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Beberapa permintaan yang lebih awal atau lebih mendesak telah didahulukan, jadi anda kini nombor { $position } dalam giliran, kira-kira { $minutes } minit lagi. Terima kasih atas kesabaran anda.
handoff-moved-back-no-estimate = Beberapa permintaan yang lebih awal atau lebih mendesak telah didahulukan, jadi anda kini nombor { $position } dalam giliran. Wakil kami akan membalas sebaik sahaja ada yang lapang. Terima kasih atas kesabaran anda.
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = Anda masih nombor { $position } dalam giliran, dan anggaran masa menunggu kini kira-kira { $minutes } minit.
handoff-wait-unknown = Anda masih nombor { $position } dalam giliran. Buat masa ini, semua wakil kami sedang sibuk, jadi saya tidak dapat memberikan anggaran masa menunggu. Wakil kami akan membalas sebaik sahaja ada yang lapang.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Terima kasih, wakil kami yang mengambil alih perbualan ini akan melihat mesej ini juga. Anda masih nombor { $position } dalam giliran.
handoff-assigned = { $agent } daripada pasukan khidmat pelanggan kami telah menyertai sembang ini.
handoff-offline = Pasukan khidmat pelanggan kami tiada di talian sekarang dan akan kembali pada { $opens_at }. Jika anda tinggalkan alamat e-mel anda di sini, kami akan menghubungi anda sebaik sahaja kami kembali.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Pasukan khidmat pelanggan kami tiada di talian sekarang dan akan kembali pada { $opens_at }.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = Maaf, saya tidak dapat membantu anda dalam hal ini. Saya akan menyampaikan soalan anda kepada pasukan khidmat pelanggan kami.
handoff-returned = Anda kini bersembang semula dengan pembantu maya. Apa lagi yang boleh saya bantu?
handoff-agent-left = Maaf, { $agent } terpaksa meninggalkan sembang ini. Anda kekal di tempat anda dalam giliran, dan wakil kami akan membalas di sini sebaik sahaja ada yang lapang.
email-saved = Terima kasih! Kami akan membalas kepada anda melalui { $email } sebaik sahaja pasukan kami kembali bertugas.
email-saved-queued = Terima kasih! Kami akan menghantar jawapan ke { $email }. Jika anda membiarkan sembang ini terbuka, wakil kami juga akan membalas di sini sebaik sahaja ada yang lapang.
queue-full = Maaf, semua wakil kami sedang sibuk dan giliran sudah penuh buat masa ini. Sila cuba lagi dalam beberapa minit; sementara itu, saya sedia membantu anda di sini.
queue-left = Oleh kerana tiada aktiviti untuk seketika, tempat anda dalam giliran telah dilepaskan. Jika anda masih memerlukan bantuan wakil kami, sila minta sekali lagi.

## End of the conversation

closed-customer = Anda telah menamatkan sembang ini. Terima kasih kerana menghubungi kami!
closed-agent = { $agent } telah menamatkan sembang ini. Terima kasih kerana menghubungi kami!
survey-ask = Bagaimanakah penilaian anda terhadap perbualan ini? Sila pilih daripada 1 (lemah) hingga 5 (cemerlang).
rating-thanks = Terima kasih atas penilaian anda. Ia membantu kami untuk terus memperbaiki perkhidmatan.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = hari Isnin, pukul { $time }
opens-at-tue = hari Selasa, pukul { $time }
opens-at-wed = hari Rabu, pukul { $time }
opens-at-thu = hari Khamis, pukul { $time }
opens-at-fri = hari Jumaat, pukul { $time }
opens-at-sat = hari Sabtu, pukul { $time }
opens-at-sun = hari Ahad, pukul { $time }
opens-at-today = hari ini, pukul { $time }

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = Isnin
day-tue = Selasa
day-wed = Rabu
day-thu = Khamis
day-fri = Jumaat
day-sat = Sabtu
day-sun = Ahad
hours-always = 24 jam sehari, 7 hari seminggu

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = Artikel bantuan ini tidak dapat ditemui. Artikel ini mungkin telah dipindahkan atau dipadamkan.
