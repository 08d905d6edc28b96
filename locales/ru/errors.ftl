# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = Чат ещё не начался. Пожалуйста, обновите страницу и попробуйте снова.
error-bad_request = Извините, не удалось прочитать это сообщение. Пожалуйста, проверьте его и отправьте ещё раз.
error-bad_request-empty = Сообщение пустое. Пожалуйста, введите текст перед отправкой.
error-bad_request-too-long = Сообщение слишком длинное. Пожалуйста, сократите его: допускается не более { $max } { PLURAL($max) ->
        [one] символа
        [few] символов
        [many] символов
       *[other] символа
    }.
error-unknown_type = Извините, чат получил данные, которые не может обработать. Пожалуйста, обновите страницу и попробуйте снова.
error-rate_limited = Вы отправляете сообщения слишком часто. Пожалуйста, подождите немного и попробуйте снова.
error-too_large = Это сообщение слишком большое для отправки.
error-unsupported_data = В этом чате можно отправлять только текст.
error-unauthorized = Вы не вошли в аккаунт, или срок действия сеанса истёк.
error-already_claimed = Этот диалог уже принял другой сотрудник.
error-not_found = Не удалось найти этот диалог.
error-internal = Извините, у нас что-то пошло не так. Пожалуйста, попробуйте ещё раз чуть позже.
