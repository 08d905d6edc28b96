# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.
# Turkish: nouns after a number stay singular ("3 dakika"), so no select is needed.
# Never attach a suffix to a variable: "{ $order } numaralı sipariş", "{ $email } adresine".

## Conversation

greeting = Merhaba! Ben mağazanın sanal asistanıyım. Size bugün nasıl yardımcı olabilirim?
not-understood = Kusura bakmayın, tam olarak anlayamadım. Başka bir şekilde ifade edebilir misiniz?
channel-unsupported-content = Üzgünüm, burada yalnızca yazılı mesajları okuyabiliyorum. Sorunuzu yazarak iletebilir misiniz?
clarify = Ne demek istediğinizden tam emin olamadım. Aşağıdakilerden biri mi?
out-of-scope = Kusura bakmayın, bu konuda yardımcı olamıyorum; yalnızca mağazamızla ilgili soruları yanıtlayabiliyorum: siparişler, teslimat, iadeler, ödemeler ve hesabınız. Size nasıl yardımcı olabilirim?
slot-order-number = Sipariş numaranızı yazabilir misiniz? Numarayı sipariş onayı e-postanızda bulabilirsiniz.
slot-order-number-again = Siparişinizi bulabilmem için sipariş numaranıza ihtiyacım var. Numarayı sipariş onayı e-postanızda bulabilirsiniz: 7 haneli bir sayıdır, örneğin 1004527.
slot-give-up = Sipariş numarası olmadan maalesef siparişinizi sorgulayamıyorum. Dilerseniz sizi destek ekibimizden bir temsilciye aktarabilirim.
slot-give-up-offline = Sipariş numarası olmadan maalesef siparişinizi sorgulayamıyorum. Mesai saatlerimiz dışında olduğumuzdan destek ekibimiz şu anda hizmet vermiyor; ancak aşağıdaki "Canlı destek" düğmesiyle talebinizi bırakabilirsiniz, ekibimiz döner dönmez size yanıt verecek.
contact-details-given = Bilgileriniz için teşekkür ederim. Sizinle kendim iletişime geçemiyorum; ancak dilerseniz sizi destek ekibimizden bir temsilciye aktarabilirim, bilgilerinizi o da görecek.
contact-details-given-offline = Bilgileriniz için teşekkür ederim. Sizinle kendim iletişime geçemiyorum. Mesai saatlerimiz dışında olduğumuzdan destek ekibimiz şu anda hizmet vermiyor; ancak aşağıdaki "Canlı destek" düğmesiyle talebinizi bırakabilirsiniz, ekibimiz döner dönmez size yanıt verecek.
slot-abandoned = Sorun değil. Size başka nasıl yardımcı olabilirim?
confirmation-declined = Peki, { $order } numaralı siparişiniz olduğu gibi kalıyor. Size başka nasıl yardımcı olabilirim?
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = Yaşadığınız sorun için çok üzgünüm.
action-failed = Üzgünüm, sistemimiz şu anda yanıt vermediği için bunu kontrol edemiyorum. Dilerseniz sizi destek ekibimizden bir temsilciye aktarabilirim.
action-failed-offline = Üzgünüm, sistemimiz şu anda yanıt vermediği için bunu kontrol edemiyorum. Mesai saatlerimiz dışında olduğumuzdan destek ekibimiz de hizmet vermiyor; ancak aşağıdaki "Canlı destek" düğmesiyle talebinizi bırakabilirsiniz, ekibimiz döner dönmez size yanıt verecek.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = Bu konuyu temsilcilerimizden birinin bizzat incelemesi gerekiyor; bu yüzden talebinizi müşteri hizmetleri ekibimize iletiyorum.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Canlı destek
whatsapp-list-button = Seçenekler

## "Did this help?"

feedback-ask = Bu yanıt işinize yaradı mı?
quick-reply-yes = Evet, teşekkürler
quick-reply-no = Hayır
feedback-thanks = Teşekkür ederim, yardımcı olabildiğime sevindim!
feedback-sorry = Yardımcı olamadığım için üzgünüm. Neye ihtiyacınız olduğunu biraz daha anlatabilir misiniz?

## Handoff to a person

handoff-queued = Sırada { $position }. kişisiniz. Tahmini bekleme süresi yaklaşık { $minutes } dakika.
handoff-queued-update = Beklediğiniz için teşekkür ederiz. Şu anda sırada { $position }. kişisiniz; tahmini kalan süre yaklaşık { $minutes } dakika.
handoff-queued-no-estimate = Sırada { $position }. kişisiniz. Şu anda müsait temsilcimiz olmadığı için bir bekleme süresi veremiyorum; ilk müsait olan temsilcimiz size buradan yanıt verecek. Dilerseniz e-posta adresinizi buraya bırakabilirsiniz; yanıtımızı size e-postayla göndeririz.
handoff-queued-update-no-estimate = Beklediğiniz için teşekkür ederiz. Şu anda sırada { $position }. kişisiniz; ilk müsait olan temsilcimiz size yanıt verecek.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Daha önce gelen ya da daha acil bazı talepler sizinkinin önüne alındı; şu anda sırada { $position }. kişisiniz, tahmini kalan süre yaklaşık { $minutes } dakika. Sabrınız için teşekkür ederiz.
handoff-moved-back-no-estimate = Daha önce gelen ya da daha acil bazı talepler sizinkinin önüne alındı; şu anda sırada { $position }. kişisiniz. İlk müsait olan temsilcimiz size yanıt verecek. Sabrınız için teşekkür ederiz.
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = Sıradaki yeriniz değişmedi, { $position }. kişisiniz; tahmini bekleme süresi artık yaklaşık { $minutes } dakika.
handoff-wait-unknown = Sıradaki yeriniz değişmedi, { $position }. kişisiniz. Şu anda müsait temsilcimiz olmadığı için bir bekleme süresi veremiyorum; ilk müsait olan temsilcimiz size yanıt verecek.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Teşekkür ederiz, sohbetinizi devralacak temsilcimiz bu mesajınızı da görecek. Sıradaki yeriniz değişmedi, { $position }. kişisiniz.
handoff-assigned = Destek ekibimizden { $agent } sohbete katıldı.
handoff-offline = Şu anda mesai saatlerimiz dışındayız; destek ekibimiz { $opens_at } itibarıyla yeniden hizmetinizde olacak. E-posta adresinizi buraya bırakırsanız, döner dönmez size yazacağız.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Şu anda mesai saatlerimiz dışındayız; destek ekibimiz { $opens_at } itibarıyla yeniden hizmetinizde olacak.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = Bu konuda size yardımcı olamadığım için üzgünüm; sorunuzu destek ekibimize iletiyorum.
handoff-returned = Yeniden sanal asistanla görüşüyorsunuz. Size başka nasıl yardımcı olabilirim?
handoff-agent-left = Üzgünüm, { $agent } sohbetten ayrılmak zorunda kaldı. Sıradaki yeriniz korunuyor; ilk müsait olan temsilcimiz size buradan yanıt verecek.
email-saved = Teşekkürler! Ekibimiz döner dönmez { $email } adresine e-posta göndereceğiz.
email-saved-queued = Teşekkür ederiz! Yanıtımızı { $email } adresine göndereceğiz. Bu sohbeti açık tutarsanız ilk müsait olan temsilcimiz size buradan da yanıt verecek.
queue-full = Üzgünüm, şu anda tüm temsilcilerimiz meşgul ve bekleme sırası dolu. Lütfen birkaç dakika sonra tekrar deneyin; bu arada size burada yardımcı olmaya devam edebilirim.
queue-left = Bir süre işlem yapılmadığı için sıradaki yeriniz boşaltıldı. Hâlâ bir temsilcimizle görüşmek isterseniz lütfen tekrar yazın.

## End of the conversation

closed-customer = Sohbeti sonlandırdınız. Bize ulaştığınız için teşekkür ederiz!
closed-agent = Temsilcimiz { $agent } sohbeti sonlandırdı. Bize ulaştığınız için teşekkür ederiz!
survey-ask = Bu görüşmeyi nasıl değerlendirirsiniz? Lütfen 1 (kötü) ile 5 (mükemmel) arasında bir puan seçin.
rating-thanks = Değerlendirmeniz için teşekkür ederiz; kendimizi geliştirmemize yardımcı oluyor.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = Pazartesi günü saat { $time }
opens-at-tue = Salı günü saat { $time }
opens-at-wed = Çarşamba günü saat { $time }
opens-at-thu = Perşembe günü saat { $time }
opens-at-fri = Cuma günü saat { $time }
opens-at-sat = Cumartesi günü saat { $time }
opens-at-sun = Pazar günü saat { $time }
opens-at-today = bugün saat { $time }

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = Pazartesi
day-tue = Salı
day-wed = Çarşamba
day-thu = Perşembe
day-fri = Cuma
day-sat = Cumartesi
day-sun = Pazar
hours-always = haftanın 7 günü, 24 saat

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = Bu yardım makalesini bulamadık. Taşınmış ya da kaldırılmış olabilir.
