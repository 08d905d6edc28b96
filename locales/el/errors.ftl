# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = Η συνομιλία δεν έχει ξεκινήσει ακόμη. Ανανεώστε τη σελίδα και δοκιμάστε ξανά.
error-bad_request = Συγγνώμη, δεν μπορέσαμε να διαβάσουμε αυτό το μήνυμα. Ελέγξτε το και στείλτε το ξανά.
error-bad_request-empty = Το μήνυμά σας είναι κενό. Γράψτε κάτι πριν το στείλετε.
error-bad_request-too-long = Το μήνυμά σας είναι πολύ μεγάλο. Περιορίστε το σε { $max } χαρακτήρες το πολύ.
error-unknown_type = Συγγνώμη, η συνομιλία έλαβε κάτι που δεν αναγνωρίζει. Ανανεώστε τη σελίδα και δοκιμάστε ξανά.
error-rate_limited = Στέλνετε μηνύματα πολύ γρήγορα. Περιμένετε λίγο και δοκιμάστε ξανά.
error-too_large = Το μήνυμα είναι πολύ μεγάλο για να σταλεί.
error-unsupported_data = Σε αυτή τη συνομιλία μπορείτε να στείλετε μόνο κείμενο.
error-unauthorized = Δεν έχετε συνδεθεί ή η σύνδεσή σας έχει λήξει.
error-already_claimed = Αυτή τη συνομιλία την έχει ήδη αναλάβει κάποιος συνάδελφος.
error-not_found = Δεν βρήκαμε αυτή τη συνομιλία.
error-internal = Συγγνώμη, παρουσιάστηκε πρόβλημα από την πλευρά μας. Δοκιμάστε ξανά σε λίγο.
