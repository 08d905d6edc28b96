# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = Sohbet henüz başlamadı. Lütfen sayfayı yeniden yükleyip tekrar deneyin.
error-bad_request = Üzgünüz, bu mesajı okuyamadık. Lütfen kontrol edip yeniden gönderin.
error-bad_request-empty = Mesajınız boş. Lütfen göndermeden önce bir şeyler yazın.
error-bad_request-too-long = Mesajınız çok uzun. Lütfen en fazla { $max } karakter kullanın.
error-unknown_type = Üzgünüz, sohbet anlayamadığı bir veri aldı. Lütfen sayfayı yenileyip tekrar deneyin.
error-rate_limited = Çok hızlı mesaj gönderiyorsunuz. Lütfen biraz bekleyip tekrar deneyin.
error-too_large = Bu mesaj gönderilemeyecek kadar büyük.
error-unsupported_data = Bu sohbette yalnızca metin gönderilebilir.
error-unauthorized = Oturum açmadınız ya da oturumunuzun süresi doldu.
error-already_claimed = Bu görüşmeyi başka bir temsilci zaten üstlendi.
error-window_closed = Müşterinin son mesajı 24 saatten daha eski olduğu için WhatsApp serbest biçimli bir yanıtı iletmeyecektir. Lütfen müşteri yeniden yazana kadar bekleyin.
error-not_found = Bu görüşmeyi bulamadık.
error-internal = Üzgünüz, bizden kaynaklanan bir sorun oluştu. Lütfen birazdan tekrar deneyin.
