# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.
# Greek: categories one, other. Polite plural (εσείς) throughout.
# { $agent } never takes an article (gender unknown): it stands after a colon or in parentheses.

## Conversation

greeting = Γεια σας! Είμαι ο ψηφιακός βοηθός του καταστήματος. Πώς μπορώ να σας βοηθήσω σήμερα;
not-understood = Συγγνώμη, δεν κατάλαβα ακριβώς. Μπορείτε να το διατυπώσετε διαφορετικά;
channel-unsupported-content = Λυπάμαι, εδώ μπορώ να διαβάσω μόνο μηνύματα κειμένου. Μπορείτε να μου γράψετε την ερώτησή σας;
clarify = Θέλω να βεβαιωθώ ότι σας κατάλαβα σωστά. Μήπως εννοείτε κάτι από τα παρακάτω;
out-of-scope = Λυπάμαι, μπορώ να απαντήσω μόνο σε ερωτήσεις για το κατάστημά μας: παραγγελίες, αποστολή, επιστροφές, πληρωμές και τον λογαριασμό σας. Σε τι μπορώ να σας εξυπηρετήσω;
slot-order-number = Μπορείτε να μου πείτε τον αριθμό της παραγγελίας σας; Θα τον βρείτε στο email επιβεβαίωσης της παραγγελίας.
slot-order-number-again = Για να βρω την παραγγελία σας, χρειάζομαι τον αριθμό της. Θα τον βρείτε στο email επιβεβαίωσης της παραγγελίας: είναι ένας 7ψήφιος αριθμός, για παράδειγμα 1004527.
slot-give-up = Χωρίς τον αριθμό παραγγελίας, δυστυχώς δεν μπορώ να βρω την παραγγελία σας. Αν θέλετε, μπορώ να σας συνδέσω με έναν εκπρόσωπο της ομάδας εξυπηρέτησης πελατών.
slot-give-up-offline = Χωρίς τον αριθμό παραγγελίας, δυστυχώς δεν μπορώ να βρω την παραγγελία σας. Αυτή την ώρα η ομάδα εξυπηρέτησης πελατών δεν είναι διαθέσιμη, αλλά με το κουμπί «Σύνδεση με εκπρόσωπο» παρακάτω μπορείτε να αφήσετε το αίτημά σας στην ομάδα, η οποία θα σας απαντήσει μόλις επιστρέψει.
contact-details-given = Σας ευχαριστώ για τα στοιχεία σας. Δεν μπορώ να επικοινωνήσω μαζί σας απευθείας, αλλά αν θέλετε, μπορώ να σας συνδέσω με έναν εκπρόσωπο της ομάδας εξυπηρέτησης πελατών, ο οποίος θα τα δει.
contact-details-given-offline = Σας ευχαριστώ για τα στοιχεία σας. Δεν μπορώ να επικοινωνήσω μαζί σας απευθείας. Αυτή την ώρα η ομάδα εξυπηρέτησης πελατών δεν είναι διαθέσιμη, αλλά με το κουμπί «Σύνδεση με εκπρόσωπο» παρακάτω μπορείτε να αφήσετε το αίτημά σας στην ομάδα, η οποία θα σας απαντήσει μόλις επιστρέψει.
slot-abandoned = Κανένα πρόβλημα! Πώς αλλιώς μπορώ να σας βοηθήσω;
confirmation-declined = Εντάξει, η παραγγελία { $order } μένει ως έχει. Πώς αλλιώς μπορώ να σας βοηθήσω;
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = Λυπάμαι πολύ για την ταλαιπωρία.
action-failed = Λυπάμαι, αυτή τη στιγμή δεν μπορώ να το ελέγξω, γιατί το σύστημά μας δεν ανταποκρίνεται. Αν θέλετε, μπορώ να σας συνδέσω με έναν εκπρόσωπο της ομάδας εξυπηρέτησης πελατών.
action-failed-offline = Λυπάμαι, αυτή τη στιγμή δεν μπορώ να το ελέγξω, γιατί το σύστημά μας δεν ανταποκρίνεται. Αυτή την ώρα η ομάδα εξυπηρέτησης πελατών δεν είναι διαθέσιμη, αλλά με το κουμπί «Σύνδεση με εκπρόσωπο» παρακάτω μπορείτε να αφήσετε το αίτημά σας στην ομάδα, η οποία θα σας απαντήσει μόλις επιστρέψει.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = Αυτό πρέπει να το εξετάσει προσωπικά ένας εκπρόσωπος της ομάδας εξυπηρέτησης πελατών, γι' αυτό προωθώ το αίτημά σας.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Σύνδεση με εκπρόσωπο
whatsapp-list-button = Δείτε τις επιλογές

## "Did this help?"

feedback-ask = Σας βοήθησε αυτή η απάντηση;
quick-reply-yes = Ναι, ευχαριστώ
quick-reply-no = Όχι
feedback-thanks = Σας ευχαριστώ, χαίρομαι που μπόρεσα να βοηθήσω!
feedback-sorry = Λυπάμαι που δεν σας βοήθησε. Μπορείτε να μου πείτε λίγο περισσότερα για το τι χρειάζεστε;

## Handoff to a person

handoff-queued = Βρίσκεστε στη θέση { $position } της σειράς αναμονής. Ο εκτιμώμενος χρόνος αναμονής είναι περίπου { $minutes } { PLURAL($minutes) ->
        [one] λεπτό
       *[other] λεπτά
    }.
handoff-queued-update = Σας ευχαριστούμε για την υπομονή σας. Βρίσκεστε πλέον στη θέση { $position } της σειράς αναμονής και θα σας εξυπηρετήσουμε σε περίπου { $minutes } { PLURAL($minutes) ->
        [one] λεπτό
       *[other] λεπτά
    }.
handoff-queued-no-estimate = Βρίσκεστε στη θέση { $position } της σειράς αναμονής. Αυτή τη στιγμή δεν υπάρχει διαθέσιμος εκπρόσωπος, γι' αυτό δεν μπορώ να σας πω πόσο θα περιμένετε· θα σας απαντήσει ο πρώτος εκπρόσωπος που θα ελευθερωθεί. Μπορείτε επίσης να μας αφήσετε εδώ τη διεύθυνση email σας, για να λάβετε την απάντηση με email.
handoff-queued-update-no-estimate = Σας ευχαριστούμε για την υπομονή σας. Βρίσκεστε πλέον στη θέση { $position } της σειράς αναμονής· θα σας απαντήσει ο πρώτος εκπρόσωπος που θα ελευθερωθεί.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Κάποια παλαιότερα ή πιο επείγοντα αιτήματα προηγούνται του δικού σας, γι' αυτό βρίσκεστε πλέον στη θέση { $position } της σειράς αναμονής και θα σας εξυπηρετήσουμε σε περίπου { $minutes } { PLURAL($minutes) ->
        [one] λεπτό
       *[other] λεπτά
    }. Σας ευχαριστούμε για την υπομονή σας.
handoff-moved-back-no-estimate = Κάποια παλαιότερα ή πιο επείγοντα αιτήματα προηγούνται του δικού σας, γι' αυτό βρίσκεστε πλέον στη θέση { $position } της σειράς αναμονής· θα σας απαντήσει ο πρώτος εκπρόσωπος που θα ελευθερωθεί. Σας ευχαριστούμε για την υπομονή σας.
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = Παραμένετε στη θέση { $position } της σειράς αναμονής· ο εκτιμώμενος χρόνος αναμονής είναι πλέον περίπου { $minutes } { PLURAL($minutes) ->
        [one] λεπτό
       *[other] λεπτά
    }.
handoff-wait-unknown = Παραμένετε στη θέση { $position } της σειράς αναμονής. Αυτή τη στιγμή δεν υπάρχει διαθέσιμος εκπρόσωπος, γι' αυτό δεν μπορώ να σας πω πόσο θα περιμένετε· θα σας απαντήσει ο πρώτος εκπρόσωπος που θα ελευθερωθεί.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Σας ευχαριστούμε· ο εκπρόσωπος που θα αναλάβει τη συνομιλία θα δει και αυτό το μήνυμα. Παραμένετε στη θέση { $position } της σειράς αναμονής.
handoff-assigned = Στη συνομιλία συνδέθηκε: { $agent }, από την ομάδα εξυπηρέτησης πελατών.
handoff-offline = Η ομάδα εξυπηρέτησης πελατών δεν είναι διαθέσιμη αυτή τη στιγμή και θα επιστρέψει { $opens_at }. Αν μας αφήσετε εδώ τη διεύθυνση email σας, θα σας γράψουμε μόλις επιστρέψουμε.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Η ομάδα εξυπηρέτησης πελατών δεν είναι διαθέσιμη αυτή τη στιγμή και θα επιστρέψει { $opens_at }.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = Λυπάμαι που δεν μπόρεσα να σας βοηθήσω σε αυτό. Προωθώ την ερώτησή σας στην ομάδα εξυπηρέτησης πελατών.
handoff-returned = Συνομιλείτε ξανά με τον ψηφιακό βοηθό. Πώς αλλιώς μπορώ να σας βοηθήσω;
handoff-agent-left = Λυπάμαι, η συνομιλία με { $agent } διακόπηκε. Διατηρείτε τη θέση σας στη σειρά αναμονής και θα σας απαντήσει εδώ ο πρώτος εκπρόσωπος που θα ελευθερωθεί.
email-saved = Σας ευχαριστούμε! Θα σας απαντήσουμε στο { $email } μόλις επιστρέψει η ομάδα μας.
email-saved-queued = Σας ευχαριστούμε! Θα σας στείλουμε την απάντηση στο { $email }. Αν κρατήσετε αυτή τη συνομιλία ανοιχτή, θα σας απαντήσει και εδώ ο πρώτος εκπρόσωπος που θα ελευθερωθεί.
queue-full = Λυπάμαι, αυτή τη στιγμή όλοι οι εκπρόσωποί μας είναι απασχολημένοι και η σειρά αναμονής είναι πλήρης. Παρακαλούμε δοκιμάστε ξανά σε λίγα λεπτά· μέχρι τότε, μπορώ να σας βοηθήσω εδώ.
queue-left = Επειδή δεν υπήρξε δραστηριότητα για αρκετή ώρα, η θέση σας στη σειρά αναμονής αποδεσμεύτηκε. Αν χρειάζεστε ακόμη κάποιον εκπρόσωπό μας, ζητήστε το ξανά.

## End of the conversation

closed-customer = Τερματίσατε τη συνομιλία. Σας ευχαριστούμε που επικοινωνήσατε μαζί μας!
closed-agent = Η συνομιλία ολοκληρώθηκε ({ $agent }, ομάδα εξυπηρέτησης πελατών). Σας ευχαριστούμε που επικοινωνήσατε μαζί μας!
survey-ask = Πώς θα αξιολογούσατε αυτή τη συνομιλία; Επιλέξτε από 1 (κακή) έως 5 (εξαιρετική).
rating-thanks = Σας ευχαριστούμε για την αξιολόγηση! Μας βοηθά να γινόμαστε καλύτεροι.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = τη Δευτέρα στις { $time }
opens-at-tue = την Τρίτη στις { $time }
opens-at-wed = την Τετάρτη στις { $time }
opens-at-thu = την Πέμπτη στις { $time }
opens-at-fri = την Παρασκευή στις { $time }
opens-at-sat = το Σάββατο στις { $time }
opens-at-sun = την Κυριακή στις { $time }
opens-at-today = σήμερα στις { $time }

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = Δευτέρα
day-tue = Τρίτη
day-wed = Τετάρτη
day-thu = Πέμπτη
day-fri = Παρασκευή
day-sat = Σάββατο
day-sun = Κυριακή
hours-always = όλο το 24ωρο, 7 ημέρες την εβδομάδα

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = Δεν βρήκαμε αυτό το άρθρο βοήθειας. Ίσως έχει μετακινηθεί ή αφαιρεθεί.
