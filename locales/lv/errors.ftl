# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = Saruna vēl nav sākusies. Lūdzu, pārlādējiet lapu un mēģiniet vēlreiz.
error-bad_request = Atvainojiet, mēs nevarējām nolasīt šo ziņu. Lūdzu, pārbaudiet to un nosūtiet vēlreiz.
error-bad_request-empty = Jūsu ziņa ir tukša. Lūdzu, pirms sūtīšanas kaut ko uzrakstiet.
error-bad_request-too-long = Jūsu ziņa ir pārāk gara. Lūdzu, saīsiniet to: rakstzīmju skaits nedrīkst pārsniegt { $max }.
error-unknown_type = Atvainojiet, saruna saņēma kaut ko, ko tā nesaprot. Lūdzu, atsvaidziniet lapu un mēģiniet vēlreiz.
error-rate_limited = Jūs sūtāt ziņas ļoti ātri. Lūdzu, brīdi uzgaidiet un mēģiniet vēlreiz.
error-too_large = Šī ziņa ir pārāk liela, lai to nosūtītu.
error-unsupported_data = Šajā sarunā var sūtīt tikai tekstu.
error-unauthorized = Nav veikta pieteikšanās, vai arī Jūsu sesija ir beigusies.
error-already_claimed = Šo sarunu jau ir pārņēmis kāds kolēģis.
error-window_closed = Klienta pēdējā ziņa saņemta pirms vairāk nekā 24 stundām, tāpēc WhatsApp nepiegādās brīvā formā rakstītu atbildi. Lūdzu, uzgaidiet, līdz klients atkal uzrakstīs.
error-not_found = Mēs nevarējām atrast šo sarunu.
error-internal = Atvainojiet, mūsu pusē radās kļūda. Lūdzu, pēc brīža mēģiniet vēlreiz.
