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

order-shipped = Pesanan anda { $order } telah dihantar pada { $shipped_on } melalui { $carrier } dan dijangka tiba selewat-lewatnya pada { $delivery_by }. Anda boleh menjejaki bungkusan anda di sini: { $tracking_url }
order-in-warehouse = Pesanan anda { $order } (dibuat pada { $ordered_on }) masih disediakan di gudang kami dan akan dihantar selewat-lewatnya pada { $ships_by }.
order-not-found = Maaf, saya tidak menemui sebarang pesanan dengan nombor { $order }. Boleh anda semak nombor itu dalam e-mel pengesahan pesanan anda?
order-cancelled = Pesanan anda { $order } telah dibatalkan. Bayaran balik sebanyak { $refund } akan dibuat melalui kaedah pembayaran asal anda dalam masa 5 hari bekerja; selepas itu, bank anda mungkin mengambil masa 2 hingga 3 hari bekerja lagi untuk memaparkannya.
order-cancel-too-late = Pesanan anda { $order } telah pun dihantar pada { $shipped_on }, jadi pesanan itu tidak boleh dibatalkan lagi. Setelah bungkusan tiba, anda boleh memulangkan item dalam masa 30 hari selepas penghantaran, dan label pemulangan adalah percuma.
address-change-possible = Pesanan anda { $order } belum dihantar, jadi anda masih boleh menukar sendiri alamat penghantaran sehingga { $ships_by } di sini: { $url }
address-change-too-late = Pesanan anda { $order } telah pun diserahkan kepada { $carrier }, jadi kami tidak dapat menukar alamatnya lagi. Syarikat kurier mungkin boleh menghantarnya ke alamat lain; sila semak di sini: { $tracking_url }
