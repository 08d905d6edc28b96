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
# UI names: "Pesanan Saya", "Akaun" > "Langganan", "Lupa kata laluan?", "Maklumkan saya".

## Small talk

answer-greet = Helo! Apa yang boleh saya bantu hari ini? Anda boleh bertanya tentang pesanan, penghantaran, pemulangan atau pembayaran.
label-greet = Helo
answer-goodbye = Terima kasih kerana berkunjung, selamat jalan! Jika ada apa-apa, saya sentiasa di sini.
label-goodbye = Selamat tinggal
answer-thanks = Sama-sama! Ada apa-apa lagi yang boleh saya bantu?
label-thanks = Terima kasih
answer-dont_know = Tiada masalah. Nombor pesanan terdapat dalam e-mel pengesahan pesanan anda (7 digit, contohnya 1004527); jika anda mempunyai akaun, nombor ini juga terdapat di "Pesanan Saya". Apa yang boleh saya bantu?
label-dont_know = Saya tak tahu
answer-affirm = Bagus! Apa lagi yang boleh saya bantu?
label-affirm = Ya
answer-deny = Baiklah. Jika ada apa-apa lagi, beritahu sahaja saya.
label-deny = Tidak
answer-bot_identity = Saya pembantu maya kedai ini, iaitu program komputer dan bukan manusia. Saya boleh menjawab kebanyakan soalan dengan segera, dan saya boleh menghubungkan anda dengan wakil pasukan khidmat pelanggan kami pada bila-bila masa.
label-bot_identity = Adakah saya bercakap dengan bot?
    .short = Adakah ini bot?

## Going to a person

answer-human_agent = Baiklah, saya akan menghubungkan anda dengan wakil pasukan khidmat pelanggan kami.
answer-human_agent-offline = Saya ingin sekali menghubungkan anda dengan wakil kami, tetapi pasukan khidmat pelanggan kami tiada di talian sekarang. Jika anda tinggalkan alamat e-mel anda di sini, pasukan kami akan membalas sebaik sahaja kembali bertugas.
label-human_agent = Bercakap dengan wakil
    .short = Hubungi wakil
answer-complaint = Saya benar-benar memohon maaf atas perkara ini, dan saya faham betapa mengecewakannya. Terima kasih kerana memaklumkan kami. Wakil kami akan meneliti perkara ini secara peribadi dan mengutamakannya.
answer-complaint-offline = Saya benar-benar memohon maaf atas perkara ini dan faham betapa mengecewakannya bagi anda. Terima kasih kerana memaklumkan kami. Pasukan khidmat pelanggan kami tiada di talian sekarang. Jika anda tinggalkan alamat e-mel anda di sini, wakil kami akan meneliti perkara ini secara peribadi dan mengutamakannya sebaik sahaja pasukan kami kembali bertugas, lalu membalas kepada anda melalui e-mel.
label-complaint = Buat aduan
answer-account_delete = Saya faham anda ingin memadamkan akaun atau data peribadi anda. Demi keselamatan anda, perkara ini dikendalikan secara peribadi oleh wakil pasukan khidmat pelanggan kami: wakil kami akan mengesahkan identiti anda, kemudian memadam akaun dan data peribadi anda dalam masa 30 hari. Invois dan rekod pesanan disimpan selama 10 tahun kerana diwajibkan oleh undang-undang cukai, dan tidak digunakan untuk tujuan lain.
answer-account_delete-offline = Saya faham anda ingin memadamkan akaun atau data peribadi anda. Demi keselamatan anda, perkara ini dikendalikan secara peribadi oleh wakil pasukan khidmat pelanggan kami, yang akan mengesahkan identiti anda terlebih dahulu. Namun, pasukan kami tiada di talian sekarang. Jika anda tinggalkan alamat e-mel anda di sini, kami akan menghubungi anda sebaik sahaja kembali bertugas. Akaun dan data peribadi anda kemudiannya akan dipadam dalam masa 30 hari. Invois dan rekod pesanan disimpan selama 10 tahun kerana diwajibkan oleh undang-undang cukai, dan tidak digunakan untuk tujuan lain.
label-account_delete = Padam akaun saya

## Orders

answer-order_status = Terima kasih! Bagi pesanan { $order }, pautan penjejakan dalam e-mel pengesahan penghantaran anda menunjukkan lokasi terkini bungkusan anda. Jika anda membuat pesanan menggunakan akaun, pautan yang sama juga terdapat di "Pesanan Saya". Pesanan biasanya keluar dari gudang kami dalam masa 1 hari bekerja, dan imbasan pertama boleh mengambil masa sehingga 24 jam untuk dipaparkan.
label-order_status = Di mana pesanan saya?
    .short = Status pesanan
answer-order_cancel = Anda boleh membatalkan sendiri pesanan { $order } di "Pesanan Saya" selagi ia belum dihantar. Jika ia sudah keluar dari gudang kami, anda boleh menolak penghantaran itu atau memulangkannya secara percuma dalam masa 30 hari.
confirm-order_cancel = Sekadar untuk memastikan: adakah anda mahu saya membatalkan pesanan { $order }?
label-order_cancel = Batalkan pesanan
answer-change_address = Anda boleh menukar alamat penghantaran pesanan { $order } di "Pesanan Saya" sehingga ia dihantar. Setelah bungkusan dalam perjalanan, sila gunakan pautan penjejakan dalam e-mel penghantaran anda untuk menukar alamat melalui syarikat kurier.
label-change_address = Tukar alamat penghantaran
    .short = Tukar alamat
answer-delivery_delay = Maaf, pesanan { $order } masih belum sampai. Pautan penjejakan dalam e-mel penghantaran anda menunjukkan status terkininya; jika status menunjukkan "dihantar", sila tanya jiran anda, semak di kaunter penerimaan bangunan dan periksa peti surat anda. Jika tiada pergerakan selama 3 hari bekerja, sila hubungi pasukan khidmat pelanggan kami di sini dalam sembang: kami akan membuka siasatan dengan syarikat kurier, yang mengambil masa sehingga 10 hari bekerja. Jika bungkusan disahkan hilang, kami akan menghantar gantian atau membuat bayaran balik penuh, mengikut pilihan anda.
label-delivery_delay = Pesanan saya lambat sampai
    .short = Penghantaran lewat
answer-product_availability = Setiap halaman produk menunjukkan stok semasa bagi setiap saiz dan warna. Jika sesuatu item habis dijual, klik "Maklumkan saya" dan kami akan menghantar e-mel kepada anda sebaik sahaja stok tersedia semula.
label-product_availability = Adakah stok masih ada?
    .short = Stok masih ada?

## Shipping, returns and refunds

answer-shipping_info = Kami menghantar ke semua negara Kesatuan Eropah (EU), United Kingdom, Turki dan Malaysia. Penghantaran standard dalam EU mengambil masa 2 hingga 4 hari bekerja dengan kos €4.90 (percuma untuk pesanan melebihi €50); ke United Kingdom 3 hingga 5 hari bekerja, manakala ke Malaysia dan Turki 5 hingga 10 hari bekerja dengan kadar tetap €14.90. Penghantaran ekspres berharga €9.90 dan tiba pada hari bekerja berikutnya jika anda membuat pesanan pada hari bekerja sebelum pukul 14:00 waktu Eropah Tengah (CET). Bagi penghantaran ke luar EU, duti kastam dan VAT import mungkin dikenakan. Kami hanya beroperasi dalam talian, jadi pesanan tidak boleh diambil di kedai. Namun, anda boleh memilih penghantaran ke pusat pengambilan berhampiran dengan kos €3.90 (3 hingga 5 hari bekerja).
label-shipping_info = Kos dan tempoh penghantaran
    .short = Info penghantaran
answer-return_item = Anda boleh memulangkan item yang belum digunakan dan masih bertag dalam masa 30 hari selepas penghantaran. Mulakan pemulangan di "Pesanan Saya", cetak label pemulangan percuma (atau tunjukkan kod QR) dan serahkan bungkusan di mana-mana pusat serahan kurier (drop-off point). Kami tidak membuat penukaran secara terus: jika anda mahukan saiz lain, sila pulangkan item dengan cara ini dan buat pesanan baharu untuk saiz yang anda perlukan. Pakaian dalam dan pakaian renang yang pelekat kebersihannya telah terkoyak, item yang diperibadikan dan perisian yang telah dibuka tidak boleh dipulangkan. Kami akan membuat bayaran balik dalam masa 5 hari bekerja selepas menerima bungkusan anda.
label-return_item = Pulangkan item
answer-refund_request = Bayaran balik dibuat melalui kaedah pembayaran yang anda gunakan (atau ke kad hadiah anda), dalam masa 5 hari bekerja selepas barang pulangan anda sampai kepada kami atau selepas pesanan dibatalkan; bank anda mungkin mengambil masa 2 hingga 3 hari bekerja lagi untuk memaparkannya. Jika sudah lebih 10 hari bekerja sejak kami menerima barang pulangan anda dan wang masih belum masuk, sila tekan "Bercakap dengan wakil" di bawah dan wakil kami akan menyemak apa yang berlaku. Kos penghantaran dibayar balik jika anda memulangkan keseluruhan pesanan.
label-refund_request = Di mana bayaran balik saya?
    .short = Status bayaran balik
answer-damaged_item = Saya benar-benar memohon maaf kerana pesanan anda tiba dalam keadaan rosak atau tidak seperti yang dipesan. Sila maklumkan kami secepat mungkin, sebaik-baiknya dalam masa 14 hari selepas penghantaran: ambil gambar item dan pembungkusannya, kemudian mulakan pemulangan di "Pesanan Saya" dan pilih sebab "Rosak" atau "Item salah". Kami akan menghantar gantian atau membuat bayaran balik, mengikut pilihan anda, dan pemulangan adalah percuma. Sila simpan pembungkusan sehingga kes anda ditutup.
label-damaged_item = Item saya rosak atau salah
    .short = Item rosak/salah
answer-warranty = Semua produk kami disertakan dengan waranti 2 tahun dari tarikh penghantaran. Untuk membuat tuntutan, mulakan di "Pesanan Saya", terangkan kerosakannya dan lampirkan gambar; kami akan membaiki atau menggantikan item itu, dan jika kedua-duanya tidak dapat dilakukan, kami akan membuat bayaran balik. Waranti tidak melindungi haus dan lusuh biasa, penyalahgunaan atau kerosakan akibat kemalangan, contohnya produk terjatuh atau terkena air.
label-warranty = Waranti

## Payment and invoices

answer-payment_problem = Maaf atas masalah yang anda hadapi dengan pembayaran. Jika pembayaran tidak berjaya, sila semak butiran kad dan alamat pengebilan, sahkan pembayaran dalam aplikasi bank anda jika diminta (3-D Secure), pastikan kad anda dibenarkan untuk pembayaran dalam talian dan belum melebihi hadnya, atau cuba kaedah pembayaran lain. Jika anda dicaj dua kali, caj kedua itu biasanya hanya tahanan sementara daripada percubaan yang gagal, dan bank anda akan melepaskannya dalam masa 5 hari bekerja; jika selepas itu kedua-dua caj masih ada dalam penyata bank anda, sila hantar penyata tersebut kepada pasukan khidmat pelanggan kami dan kami akan membuat bayaran balik bagi caj pendua itu.
label-payment_problem = Masalah dengan pembayaran saya
    .short = Masalah pembayaran
answer-payment_methods = Kami menerima Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay dan pindahan bank. Kami tidak menawarkan bayaran secara ansuran atau pilihan bayar tunai semasa penghantaran (COD). Jika anda membayar melalui pindahan bank, pesanan anda akan dihantar sebaik sahaja bayaran diterima, dan ini biasanya mengambil masa 1 hingga 2 hari bekerja.
label-payment_methods = Kaedah pembayaran
answer-invoice_request = Invois anda dilampirkan pada e-mel pengesahan penghantaran, dan anda boleh memuat turunnya pada bila-bila masa di "Pesanan Saya". Jika anda memerlukan invois syarikat, sila tambahkan nama syarikat dan nombor VAT anda pada akaun sebelum membuat pesanan. Invois tidak boleh diubah selepas dikeluarkan, tetapi wakil kami boleh mengeluarkan invois yang diperbetulkan dalam masa 30 hari.
label-invoice_request = Dapatkan invois
answer-discount_code = Kod diskaun dimasukkan dalam troli sebelum pembayaran, satu kod bagi setiap pesanan; kod tidak boleh ditambah selepas pesanan dibuat. Jika kod tidak berfungsi, sila semak tarikh luput dan nilai pesanan minimumnya, serta pastikan tiada ruang kosong tambahan di awal atau di hujung kod (huruf besar atau kecil tidak menjadi masalah). Kod diskaun tidak terpakai pada kad hadiah atau item yang harganya telah dikurangkan, melainkan syarat kod itu menyatakan sebaliknya.
label-discount_code = Kod diskaun saya tidak berfungsi
    .short = Masalah kod diskaun
answer-subscription_cancel = Anda boleh membatalkan keahlian anda pada bila-bila masa di "Akaun" > "Langganan". Keahlian anda kekal aktif sehingga akhir tempoh yang telah dibayar, dan anda tidak akan dicaj lagi. Jika anda membatalkan keahlian tahunan dalam masa 14 hari selepas pembelian dan belum menggunakannya, kami akan membuat bayaran balik penuh sebanyak €49.
label-subscription_cancel = Batalkan keahlian saya
    .short = Batalkan keahlian
answer-newsletter_unsubscribe = Anda boleh berhenti melanggan surat berita kami pada bila-bila masa: klik pautan berhenti langgan (unsubscribe) di bahagian bawah mana-mana surat berita kami, dan anda tidak akan menerimanya lagi. Anda tidak perlu memadam akaun untuk itu. E-mel berkaitan pesanan anda, seperti pengesahan pesanan dan penghantaran, akan tetap dihantar kepada anda.
label-newsletter_unsubscribe = Berhenti langgan surat berita
    .short = Berhenti langgan

## Account and contact

answer-account_login = Untuk menetapkan semula kata laluan anda, klik "Lupa kata laluan?" di halaman log masuk dan kami akan menghantar e-mel berserta pautan yang sah selama 1 jam. Jika e-mel tidak diterima, sila semak folder spam anda. Demi keselamatan anda, akaun dikunci selama 15 minit selepas 5 kali kata laluan yang salah dimasukkan; selepas itu, anda boleh mencuba lagi.
label-account_login = Saya tidak dapat log masuk
    .short = Masalah log masuk
answer-business_hours = { $hours_kind ->
        [always] Pasukan khidmat pelanggan kami sedia membantu 24 jam sehari, 7 hari seminggu. Saya juga sedia membantu anda pada bila-bila masa, dan wakil kami boleh mengambil alih apabila perlu.
       *[scheduled] Waktu operasi pasukan khidmat pelanggan kami: { $hours } (zon waktu: { $zone }). Saya pula sedia membantu pada bila-bila masa, dan di luar waktu operasi, anda boleh meninggalkan mesej untuk pasukan kami.
    }
label-business_hours = Waktu operasi
answer-contact_info = { $hours_kind ->
        [always] Anda boleh menghubungi kami 24 jam sehari, 7 hari seminggu, melalui e-mel di { $email } atau telefon di { $phone }. Atau tulis sahaja di sini: saya akan membantu anda dengan segera, dan wakil kami boleh mengambil alih apabila perlu.
       *[scheduled] Anda boleh menghubungi kami melalui e-mel di { $email } atau telefon di { $phone } dalam waktu operasi: { $hours } (zon waktu: { $zone }). Atau tulis sahaja di sini: saya akan membantu anda dengan segera, dan dalam waktu operasi, wakil kami boleh mengambil alih.
    }
label-contact_info = Maklumat hubungan
