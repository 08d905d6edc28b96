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
# Greek: { $carrier } stands after "μέσω" or a noun, so it never needs an article.

order-shipped = Η παραγγελία σας { $order } στάλθηκε στις { $shipped_on } μέσω { $carrier } και αναμένεται να φτάσει έως τις { $delivery_by }. Μπορείτε να την παρακολουθείτε εδώ: { $tracking_url }
order-in-warehouse = Η παραγγελία σας { $order } (ημερομηνία παραγγελίας: { $ordered_on }) ετοιμάζεται ακόμη στην αποθήκη μας και θα σταλεί έως τις { $ships_by }.
order-not-found = Λυπάμαι, δεν βρίσκω παραγγελία με αριθμό { $order }. Μπορείτε να ελέγξετε τον αριθμό στο email επιβεβαίωσης της παραγγελίας;
order-cancelled = Η παραγγελία σας { $order } ακυρώθηκε. Θα σας επιστρέψουμε { $refund } με τον ίδιο τρόπο πληρωμής που χρησιμοποιήσατε, μέσα σε 5 εργάσιμες ημέρες· ανάλογα με την τράπεζά σας, μπορεί να χρειαστούν 2 με 3 ακόμη εργάσιμες ημέρες για να εμφανιστεί το ποσό.
order-cancel-too-late = Η παραγγελία σας { $order } στάλθηκε ήδη στις { $shipped_on }, οπότε δεν μπορεί πλέον να ακυρωθεί. Μόλις την παραλάβετε, μπορείτε να την επιστρέψετε μέσα σε 30 ημέρες από την παράδοση· η ετικέτα επιστροφής είναι δωρεάν.
address-change-possible = Η παραγγελία σας { $order } δεν έχει σταλεί ακόμη, οπότε μπορείτε να αλλάξετε μόνοι σας τη διεύθυνση παράδοσης έως τις { $ships_by } εδώ: { $url }
address-change-too-late = Η παραγγελία σας { $order } έχει ήδη παραδοθεί στη μεταφορική εταιρεία { $carrier }, οπότε δεν μπορούμε πλέον να αλλάξουμε τη διεύθυνση. Ίσως η μεταφορική εταιρεία να μπορεί να στείλει το δέμα σε άλλη διεύθυνση: { $tracking_url }
