# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = Sembang belum bermula. Sila muat semula halaman dan cuba lagi.
error-bad_request = Maaf, kami tidak dapat membaca mesej itu. Sila semak dan hantar semula.
error-bad_request-empty = Mesej anda kosong. Sila taip sesuatu sebelum menghantar.
error-bad_request-too-long = Mesej anda terlalu panjang. Sila pastikan mesej tidak melebihi { $max } aksara.
error-unknown_type = Maaf, sembang ini menerima sesuatu yang tidak dapat difahami. Sila muat semula halaman dan cuba lagi.
error-rate_limited = Anda menghantar mesej terlalu cepat. Sila tunggu sebentar dan cuba lagi.
error-too_large = Mesej itu terlalu besar untuk dihantar.
error-unsupported_data = Hanya teks boleh dihantar dalam sembang ini.
error-unauthorized = Anda belum log masuk, atau sesi log masuk anda telah tamat tempoh.
error-already_claimed = Perbualan ini telah diambil alih oleh rakan sekerja lain.
error-window_closed = Mesej terakhir pelanggan ini dihantar lebih daripada 24 jam yang lalu, jadi WhatsApp tidak akan menyampaikan balasan bentuk bebas. Sila tunggu sehingga pelanggan menghantar mesej lagi.
error-not_found = Kami tidak dapat menemui perbualan itu.
error-internal = Maaf, berlaku masalah di pihak kami. Sila cuba semula sebentar lagi.
