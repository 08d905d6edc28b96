# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.
# Turkish: nouns after a number stay singular ("3 dakika"), so no select is needed.
# Never attach a suffix to a variable: "{ $order } numaralı sipariş", "{ $email } adresine".

## Conversation

greeting = Merhaba! Ben mağazanın sanal asistanıyım. Size bugün nasıl yardımcı olabilirim?
not-understood = Kusura bakmayın, tam olarak anlayamadım. Başka bir şekilde ifade edebilir misiniz?
clarify = Ne demek istediğinizden tam emin olamadım. Aşağıdakilerden biri mi?
slot-order-number = Sipariş numaranızı yazabilir misiniz? Numarayı sipariş onayı e-postanızda bulabilirsiniz.

## "Did this help?"

feedback-ask = Bu yanıt işinize yaradı mı?
quick-reply-yes = Evet, teşekkürler
quick-reply-no = Hayır
feedback-thanks = Teşekkür ederim, yardımcı olabildiğime sevindim!
feedback-sorry = Yardımcı olamadığım için üzgünüm. Neye ihtiyacınız olduğunu biraz daha anlatabilir misiniz?

## Handoff to a person

handoff-queued = Sırada { $position }. kişisiniz. Tahmini bekleme süresi yaklaşık { $minutes } dakika.
handoff-queued-update = Beklediğiniz için teşekkür ederiz. Şu anda sırada { $position }. kişisiniz; tahmini kalan süre yaklaşık { $minutes } dakika.
handoff-assigned = Destek ekibimizden { $agent } sohbete katıldı.
handoff-offline = Destek ekibimiz şu anda çevrim dışı; { $opens_at } itibarıyla yeniden hizmetinizdeyiz. E-posta adresinizi buraya bırakırsanız, döner dönmez size yazacağız.
handoff-returned = Yeniden sanal asistanla görüşüyorsunuz. Size başka nasıl yardımcı olabilirim?
email-saved = Teşekkürler! Ekibimiz döner dönmez { $email } adresine yanıt vereceğiz.

## End of the conversation

closed-customer = Sohbeti sonlandırdınız. Bize ulaştığınız için teşekkür ederiz!
closed-agent = Temsilcimiz { $agent } sohbeti sonlandırdı. Bize ulaştığınız için teşekkür ederiz!
closed-system = Bu sohbet sonlandırıldı. Bize ulaştığınız için teşekkür ederiz!
survey-ask = Bu görüşmeyi nasıl değerlendirirsiniz? Lütfen 1 (kötü) ile 5 (mükemmel) arasında bir puan seçin.
rating-thanks = Değerlendirmeniz için teşekkür ederiz; kendimizi geliştirmemize yardımcı oluyor.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = Pazartesi { $time }
opens-at-tue = Salı { $time }
opens-at-wed = Çarşamba { $time }
opens-at-thu = Perşembe { $time }
opens-at-fri = Cuma { $time }
opens-at-sat = Cumartesi { $time }
opens-at-sun = Pazar { $time }
