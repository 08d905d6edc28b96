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
# UI names: "Siparişlerim", "Hesabım" > "Aboneliğim", "Şifremi unuttum", "Gelince haber ver".

## Small talk

answer-greet = Merhaba! Size bugün nasıl yardımcı olabilirim? Siparişler, teslimat, iadeler veya ödemelerle ilgili her şeyi sorabilirsiniz.
label-greet = Merhaba
answer-goodbye = Bizi ziyaret ettiğiniz için teşekkür ederiz, iyi günler dileriz! Bir şeye ihtiyacınız olursa buradayım.
label-goodbye = Hoşça kalın
answer-thanks = Rica ederim! Size yardımcı olabileceğim başka bir konu var mı?
label-thanks = Teşekkürler
answer-dont_know = Sorun değil. Sipariş numaranızı sipariş onayı e-postanızda bulabilirsiniz (7 haneli bir sayıdır, örneğin 1004527); hesabınız varsa "Siparişlerim" bölümünde de yer alır. Size nasıl yardımcı olabilirim?
label-dont_know = Bilmiyorum
answer-affirm = Harika! Sizin için başka ne yapabilirim?
label-affirm = Evet
answer-deny = Peki. Başka bir konu olursa bana yazmanız yeterli.
label-deny = Hayır
answer-bot_identity = Ben mağazanın sanal asistanıyım; yani bir insan değil, bir bilgisayar programıyım. Çoğu soruyu hemen yanıtlayabilirim ve dilediğiniz zaman sizi destek ekibimizden bir temsilciye bağlayabilirim.
label-bot_identity = Bir botla mı konuşuyorum?
    .short = Bot musunuz?

## Going to a person

answer-human_agent = Elbette, sizi destek ekibimizden bir temsilciye bağlıyorum.
answer-human_agent-offline = Sizi memnuniyetle bir temsilcimize aktarmak isterdim; ancak destek ekibimiz şu anda hizmet vermiyor. E-posta adresinizi buraya bırakırsanız ekibimiz döner dönmez size e-postayla yanıt verecek.
label-human_agent = Temsilciyle görüşmek istiyorum
    .short = Canlı destek
answer-complaint = Yaşadığınız sorun için gerçekten çok üzgünüm; ne kadar can sıkıcı olduğunu anlıyorum. Bize bildirdiğiniz için teşekkür ederiz. Bir temsilcimiz konuyu öncelikli olarak ve bizzat inceleyecek.
answer-complaint-offline = Yaşadığınız sorun için gerçekten çok üzgünüm; ne kadar can sıkıcı olduğunu anlıyorum. Bize bildirdiğiniz için teşekkür ederiz. Destek ekibimiz şu anda hizmet vermiyor; e-posta adresinizi buraya bırakırsanız ekibimiz döner dönmez bir temsilcimiz konuyu öncelikli olarak ve bizzat inceleyip size e-postayla yanıt verecek.
label-complaint = Şikâyette bulunmak istiyorum
    .short = Şikâyetim var
answer-account_delete = Hesabınızın veya kişisel verilerinizin silinmesini istediğinizi anlıyorum. Güvenliğiniz için bu işlemle destek ekibimizden bir temsilci bizzat ilgilenir: kimliğinizi doğruladıktan sonra hesabınızı ve kişisel verilerinizi 30 gün içinde siler. Faturalarınız ve sipariş kayıtlarınız vergi mevzuatı gereği 10 yıl boyunca saklanır ve başka hiçbir amaçla kullanılmaz.
answer-account_delete-offline = Hesabınızın veya kişisel verilerinizin silinmesini istediğinizi anlıyorum. Güvenliğiniz için bu işlemle destek ekibimizden bir temsilci bizzat ilgilenir ve önce kimliğinizi doğrular; ancak ekibimiz şu anda hizmet vermiyor. E-posta adresinizi buraya bırakırsanız ekibimiz döner dönmez sizinle iletişime geçecek. Hesabınız ve kişisel verileriniz ardından 30 gün içinde silinir. Faturalarınız ve sipariş kayıtlarınız vergi mevzuatı gereği 10 yıl boyunca saklanır ve başka hiçbir amaçla kullanılmaz.
label-account_delete = Hesabımı silmek istiyorum
    .short = Hesap silme talebi

## Orders

answer-order_status = Teşekkürler! { $order } numaralı siparişinizin şu anda nerede olduğunu kargo bilgilendirme e-postanızdaki takip bağlantısından görebilirsiniz; siparişi hesabınızla verdiyseniz aynı bağlantı "Siparişlerim" bölümünde de yer alır. Siparişler genellikle 1 iş günü içinde depomuzdan çıkar; ilk hareketin takip sayfasında görünmesi 24 saate kadar sürebilir.
label-order_status = Siparişim nerede?
answer-order_cancel = { $order } numaralı siparişinizi, kargoya verilmediği sürece "Siparişlerim" bölümünden kendiniz iptal edebilirsiniz. Siparişiniz depomuzdan çıktıysa teslimatı reddedebilir ya da 30 gün içinde ücretsiz olarak iade edebilirsiniz.
confirm-order_cancel = Emin olmak istiyorum: { $order } numaralı siparişinizi iptal etmemi ister misiniz?
label-order_cancel = Sipariş iptali
answer-change_address = { $order } numaralı siparişinizin teslimat adresini, sipariş kargoya verilene kadar "Siparişlerim" bölümünden değiştirebilirsiniz. Sipariş yola çıktıktan sonra lütfen kargo e-postanızdaki takip bağlantısını kullanarak gönderiyi kargo firması üzerinden yeni adrese yönlendirin.
label-change_address = Teslimat adresi değişikliği
    .short = Adres değişikliği
answer-delivery_delay = { $order } numaralı siparişinizin henüz size ulaşmadığı için üzgünüm. Son durumu kargo e-postanızdaki takip bağlantısından görebilirsiniz; takipte "teslim edildi" yazıyorsa lütfen komşularınıza ve bina görevlisine sorun, posta kutunuzu da kontrol edin. Gönderide 3 iş günü boyunca hareket olmazsa buradan destek ekibimize yazın: kargo firmasıyla birlikte en fazla 10 iş günü süren bir inceleme başlatırız. Paket kaybolduysa tercihinize göre size yenisini gönderir ya da ödediğiniz tutarın tamamını iade ederiz.
label-delivery_delay = Siparişim gecikti
answer-product_availability = Her ürün sayfasında, tüm beden ve renkler için güncel stok durumu yer alır. Tükenen bir ürün için "Gelince haber ver" butonuna tıklayın; ürün yeniden stoğa girdiğinde size e-posta göndereceğiz.
label-product_availability = Stokta var mı?

## Shipping, returns and refunds

answer-shipping_info = AB'nin tüm ülkelerine, Birleşik Krallık'a, Türkiye'ye ve Malezya'ya gönderim yapıyoruz. AB içinde standart teslimat 2-4 iş günü sürer ve ücreti 4,90 €'dur (50 € üzeri siparişlerde ücretsiz); Birleşik Krallık'a teslimat 3-5 iş günü, Türkiye'ye ve Malezya'ya ise 5-10 iş günü sürer; bu iki ülkeye gönderim ücreti sabit 14,90 €'dur. Ekspres teslimatın ücreti 9,90 €'dur; siparişinizi bir iş günü saat 14:00'ten (Orta Avrupa Saati) önce verirseniz paketiniz bir sonraki iş günü kapınızda olur. AB dışına yapılan gönderimlerde gümrük vergisi ve ithalat KDV'si çıkabilir. Yalnızca online satış yaptığımız için siparişler mağazadan teslim alınamaz; dilerseniz paketinizi 3,90 € karşılığında size yakın bir kargo teslim noktasına gönderebiliriz (3-5 iş günü).
label-shipping_info = Kargo ücreti ve teslimat süresi
    .short = Kargo bilgileri
answer-return_item = Kullanılmamış ve etiketleri üzerinde olan ürünleri teslimattan itibaren 30 gün içinde iade edebilirsiniz. İadeyi "Siparişlerim" bölümünden başlatın, ücretsiz iade etiketini yazdırın (ya da QR kodu gösterin) ve paketi herhangi bir kargo teslim noktasına bırakın. Doğrudan değişim yapmıyoruz: farklı bir beden isterseniz ürünü bu şekilde iade edip istediğiniz beden için yeni bir sipariş verebilirsiniz. Hijyen bandı açılmış iç çamaşırı ve mayo/bikini, kişiselleştirilmiş ürünler ve ambalajı açılmış yazılımlar iade edilemez. Paket bize ulaştıktan sonra 5 iş günü içinde ücretinizi iade ediyoruz.
label-return_item = Ürün iadesi
answer-refund_request = Ücret iadeleri, iade ettiğiniz ürün bize ulaştıktan ya da siparişiniz iptal edildikten sonra 5 iş günü içinde ödemede kullandığınız yönteme (hediye kartıyla ödediyseniz hediye kartınıza) yapılır; tutarın hesabınıza yansıması bankanıza bağlı olarak 2-3 iş günü daha sürebilir. İade paketiniz bize ulaşalı 10 iş gününden fazla olduğu hâlde tutar hesabınıza yansımadıysa lütfen aşağıdaki "Temsilciyle görüşmek istiyorum" düğmesine dokunun; bir temsilcimiz durumu sizin için kontrol edecektir. Siparişin tamamını iade ederseniz kargo ücreti de iade edilir.
label-refund_request = Ücret iadem nerede?
answer-damaged_item = Siparişinizin hasarlı ya da yanlış ulaşmasına gerçekten çok üzüldüm. Lütfen durumu mümkün olan en kısa sürede, tercihen teslimattan itibaren 14 gün içinde bildirin: ürünün ve ambalajın fotoğrafını çekip "Siparişlerim" bölümünden iade nedeni olarak "Hasarlı" ya da "Yanlış ürün" seçeneğiyle bir iade başlatın. Tercihinize göre size yenisini gönderir ya da ücretinizi iade ederiz; iade de tamamen ücretsizdir. Talebiniz sonuçlanana kadar lütfen ambalajı saklayın.
label-damaged_item = Ürün hasarlı veya yanlış geldi
    .short = Hasarlı/yanlış ürün
answer-warranty = Tüm ürünlerimiz teslim tarihinden itibaren 2 yıl garantilidir. Garanti başvurusu için "Siparişlerim" bölümünden talep oluşturup arızayı açıklayın ve fotoğraf ekleyin; ürünü onarır ya da yenisiyle değiştiririz, ikisi de mümkün değilse ücretini iade ederiz. Normal kullanıma bağlı yıpranma, hatalı kullanım ve düşürme, sıvı dökülmesi gibi kazalar sonucu oluşan hasarlar garanti kapsamında değildir.
label-warranty = Garanti

## Payment and invoices

answer-payment_problem = Ödemenizle ilgili yaşadığınız sorun için üzgünüm. Ödeme gerçekleşmediyse lütfen kart bilgilerinizi ve fatura adresinizi kontrol edin, istenirse ödemeyi bankanızın uygulamasından onaylayın (3D Secure), kartınızın internet alışverişine açık ve limitinizin yeterli olduğundan emin olun ya da başka bir ödeme yöntemi deneyin. Tutar kartınızdan iki kez çekilmiş görünüyorsa ikinci tutar genellikle başarısız bir denemeden kalan ve bankanızın 5 iş günü içinde kaldırdığı geçici bir provizyondur; bu sürenin sonunda iki çekim de hâlâ ekstrenizde görünüyorsa banka ekstrenizle birlikte destek ekibimize yazın, fazladan alınan tutarı iade ederiz.
label-payment_problem = Ödememle ilgili bir sorun var
    .short = Ödeme sorunu
answer-payment_methods = Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay ve banka havalesiyle ödeme kabul ediyoruz. Taksitli ödeme ve kapıda ödeme seçeneğimiz bulunmuyor. Banka havalesiyle ödediğinizde siparişiniz, ödemeniz hesabımıza ulaştıktan sonra kargoya verilir; bu genellikle 1-2 iş günü sürer.
label-payment_methods = Ödeme yöntemleri
answer-invoice_request = Faturanız kargo bilgilendirme e-postasına eklidir; dilediğiniz zaman "Siparişlerim" bölümünden de indirebilirsiniz. Kurumsal fatura istiyorsanız lütfen sipariş vermeden önce şirket unvanınızı ve vergi numaranızı hesabınıza ekleyin. Düzenlenmiş bir fatura sonradan değiştirilemez, ancak destek ekibimiz 30 gün içinde düzeltilmiş bir fatura düzenleyebilir.
label-invoice_request = Fatura talebi
answer-discount_code = İndirim kodu, ödemeden önce sepette girilir ve her siparişte yalnızca bir kod kullanılabilir; verilmiş bir siparişe sonradan kod eklenemez. Kod çalışmıyorsa lütfen son kullanma tarihini ve minimum sepet tutarını kontrol edin, kodun başında veya sonunda boşluk kalmadığından da emin olun (büyük-küçük harf fark etmez). Kodun koşullarında aksi belirtilmedikçe indirim kodları hediye kartlarında ve zaten indirimde olan ürünlerde geçerli değildir.
label-discount_code = İndirim kodum çalışmıyor
    .short = İndirim kodu sorunu
answer-subscription_cancel = Üyeliğinizi dilediğiniz zaman "Hesabım" > "Aboneliğim" bölümünden iptal edebilirsiniz. Üyeliğiniz, ödemesini yaptığınız dönemin sonuna kadar aktif kalır ve sizden yeniden ücret alınmaz. Yıllık üyeliğinizi satın aldıktan sonraki 14 gün içinde iptal eder ve üyeliğinizi hiç kullanmamış olursanız ödediğiniz 49 €'nun tamamını iade ederiz.
label-subscription_cancel = Üyelik iptali
answer-newsletter_unsubscribe = Bülten e-postalarımızı dilediğiniz zaman durdurabilirsiniz: herhangi bir bülten e-postasının en altındaki abonelikten çıkma bağlantısına tıklamanız yeterlidir, sonrasında bülten almazsınız. Bunun için hesabınızı silmeniz gerekmez. Sipariş onayı ve kargo bildirimi gibi siparişlerinizle ilgili e-postalar ise size gönderilmeye devam eder.
label-newsletter_unsubscribe = Bültenden çıkmak istiyorum
    .short = Bültenden çıkış

## Account and contact

answer-account_login = Şifrenizi sıfırlamak için giriş sayfasındaki "Şifremi unuttum" bağlantısına tıklayın; size 1 saat geçerli bir bağlantı içeren bir e-posta göndereceğiz. E-posta gelmezse lütfen istenmeyen (spam) klasörünüzü kontrol edin. Şifre 5 kez yanlış girildiğinde hesabınız güvenliğiniz için 15 dakikalığına kilitlenir; bu sürenin ardından yeniden deneyebilirsiniz.
label-account_login = Giriş yapamıyorum
answer-business_hours = { $hours_kind ->
        [always] Destek ekibimiz haftanın 7 günü, 24 saat hizmetinizdedir. Ben de her zaman buradayım; gerektiğinde bir temsilcimiz de konuyu devralabilir.
       *[scheduled] Destek ekibimizin çalışma saatleri: { $hours } (saat dilimi: { $zone }). Ben ise her zaman buradayım; çalışma saatleri dışında ekibimize mesaj da bırakabilirsiniz.
    }
label-business_hours = Destek saatleri
answer-contact_info = { $hours_kind ->
        [always] Bize haftanın 7 günü, 24 saat { $email } adresinden e-postayla ya da { $phone } numaralı telefondan ulaşabilirsiniz. Dilerseniz buraya yazmanız da yeterli. Size hemen yardımcı olurum; gerektiğinde bir temsilcimiz de konuyu devralabilir.
       *[scheduled] Bize { $email } adresinden e-postayla ya da çalışma saatlerimizde { $phone } numaralı telefondan ulaşabilirsiniz. Çalışma saatlerimiz: { $hours } (saat dilimi: { $zone }). Dilerseniz buraya yazmanız da yeterli. Size hemen yardımcı olurum; çalışma saatlerimizde bir temsilcimiz de konuyu devralabilir.
    }
label-contact_info = İletişim bilgileri
