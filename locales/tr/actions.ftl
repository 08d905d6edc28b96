# Messages of the business actions: the company's backend answers an order
# lookup, a cancellation or an address change by naming one of these messages
# (the code never chooses them) and sends its variables, all as ready-formatted
# strings (dates written for this locale, amounts with their currency):
#   order-shipped            $order, $carrier, $tracking_url, $shipped_on, $delivery_by
#   order-in-warehouse       $order, $ordered_on, $ships_by
#   order-not-found          $order
#   order-cancelled          $order, $refund
#   order-cancel-too-late    $order, $shipped_on
#   address-change-possible  $order, $ships_by, $url
#   address-change-too-late  $order, $carrier, $tracking_url
# Refund and return terms must match knowledge/<lang>/refunds.md and returns.md.
# Turkish: never attach a suffix to a variable ("{ $order } numaralı", "{ $shipped_on } tarihinde").

order-shipped = { $order } numaralı siparişiniz { $shipped_on } tarihinde { $carrier } ile kargoya verildi ve en geç { $delivery_by } tarihinde elinize ulaşması bekleniyor. Kargonuzu şu bağlantıdan takip edebilirsiniz: { $tracking_url }
order-in-warehouse = { $ordered_on } tarihinde verdiğiniz { $order } numaralı siparişiniz depomuzda hâlâ hazırlanıyor ve en geç { $ships_by } tarihinde kargoya verilecek.
order-not-found = Maalesef { $order } numaralı bir sipariş bulamadım. Lütfen sipariş onayı e-postanızdaki numarayı kontrol edebilir misiniz?
order-cancelled = { $order } numaralı siparişiniz iptal edildi. { $refund } tutarındaki ücret iadeniz 5 iş günü içinde ödemede kullandığınız yönteme yapılacak; tutarın hesabınızda görünmesi bankanıza bağlı olarak 2-3 iş günü daha sürebilir.
order-cancel-too-late = { $order } numaralı siparişiniz { $shipped_on } tarihinde kargoya verildiği için artık iptal edilemiyor. Sipariş elinize ulaştıktan sonra ürünleri teslimattan itibaren 30 gün içinde iade edebilirsiniz; iade etiketi ücretsizdir.
address-change-possible = { $order } numaralı siparişiniz henüz kargoya verilmedi. Teslimat adresini { $ships_by } tarihine kadar şu bağlantıdan kendiniz değiştirebilirsiniz: { $url }
address-change-too-late = { $order } numaralı siparişiniz { $carrier } ile yola çıktığı için adresi artık değiştiremiyoruz. Kargo firması gönderiyi yeni adresinize yönlendirebilir; bunu şu bağlantıdan kontrol edebilirsiniz: { $tracking_url }
