# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.

## Conversation

greeting = Здравствуйте! Я виртуальный помощник магазина. Чем могу помочь?
not-understood = Извините, мне не удалось понять Ваш вопрос. Не могли бы Вы сформулировать его по-другому?
channel-unsupported-content = Извините, здесь я могу читать только текстовые сообщения. Не могли бы Вы написать свой вопрос?
clarify = Уточните, пожалуйста, что Вы имеете в виду. Может быть, один из этих вариантов?
out-of-scope = К сожалению, здесь я помочь не смогу: я отвечаю только на вопросы о нашем магазине — о заказах, доставке, возвратах, оплате и Вашем аккаунте. Какой у Вас вопрос?
slot-order-number = Подскажите, пожалуйста, номер Вашего заказа. Он указан в письме с подтверждением заказа.
slot-order-number-again = Чтобы найти заказ, мне нужен его номер. Он указан в письме с подтверждением заказа и состоит из 7 цифр, например 1004527.
slot-give-up = К сожалению, без номера заказа я не смогу его найти. Если хотите, я подключу сотрудника службы поддержки.
slot-give-up-offline = К сожалению, без номера заказа я не смогу его найти. Служба поддержки в это время не работает, но с помощью кнопки «Связь с оператором» ниже Вы можете оставить обращение для команды — Вам ответят, как только она вернётся к работе.
contact-details-given = Спасибо за контактные данные. К сожалению, я не могу связаться с Вами напрямую, но, если хотите, я подключу сотрудника службы поддержки — он увидит Ваши данные.
contact-details-given-offline = Спасибо за контактные данные. К сожалению, я не могу связаться с Вами напрямую. Служба поддержки в это время не работает, но с помощью кнопки «Связь с оператором» ниже Вы можете оставить обращение для команды — Вам ответят, как только она вернётся к работе.
slot-abandoned = Хорошо! Чем ещё я могу Вам помочь?
confirmation-declined = Хорошо, заказ { $order } остаётся без изменений. Чем ещё я могу Вам помочь?
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = Приношу извинения за доставленные неудобства.
action-failed = К сожалению, сейчас я не могу это проверить: наша система не отвечает. Если хотите, я подключу сотрудника службы поддержки.
action-failed-offline = К сожалению, сейчас я не могу это проверить: наша система не отвечает. Служба поддержки в это время не работает, но с помощью кнопки «Связь с оператором» ниже Вы можете оставить обращение для команды — Вам ответят, как только она вернётся к работе.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = Этот вопрос должен лично рассмотреть наш сотрудник, поэтому я передаю Ваше обращение в службу поддержки.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Связь с оператором
whatsapp-list-button = Показать варианты

## "Did this help?"

feedback-ask = Этот ответ Вам помог?
quick-reply-yes = Да, спасибо
quick-reply-no = Нет
feedback-thanks = Спасибо! Рады, что смогли помочь.
feedback-sorry = Жаль, что ответ не помог. Расскажите, пожалуйста, чуть подробнее, что Вам нужно.

## Handoff to a person

handoff-queued = Ваш номер в очереди: { $position }. Примерное время ожидания — { $minutes } { PLURAL($minutes) ->
        [one] минута
        [few] минуты
        [many] минут
       *[other] минуты
    }.
handoff-queued-update = Спасибо за ожидание! Теперь Ваш номер в очереди: { $position }. Осталось подождать примерно { $minutes } { PLURAL($minutes) ->
        [one] минуту
        [few] минуты
        [many] минут
       *[other] минуты
    }.
handoff-queued-no-estimate = Ваш номер в очереди: { $position }. Сейчас все сотрудники заняты, поэтому я не могу назвать время ожидания: Вам ответит первый освободившийся сотрудник. Вы также можете оставить здесь свой адрес электронной почты, и мы пришлём ответ по почте.
handoff-queued-update-no-estimate = Спасибо за ожидание! Теперь Ваш номер в очереди: { $position }. Вам ответит первый освободившийся сотрудник.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Несколько более ранних или более срочных обращений поставлены в очередь перед Вашим, поэтому теперь Ваш номер в очереди: { $position }. Осталось подождать примерно { $minutes } { PLURAL($minutes) ->
        [one] минуту
        [few] минуты
        [many] минут
       *[other] минуты
    }. Спасибо за терпение!
handoff-moved-back-no-estimate = Несколько более ранних или более срочных обращений поставлены в очередь перед Вашим, поэтому теперь Ваш номер в очереди: { $position }. Вам ответит первый освободившийся сотрудник. Спасибо за терпение!
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = Ваш номер в очереди по-прежнему { $position }. Осталось подождать примерно { $minutes } { PLURAL($minutes) ->
        [one] минуту
        [few] минуты
        [many] минут
       *[other] минуты
    }.
handoff-wait-unknown = Ваш номер в очереди по-прежнему { $position }. Сейчас все сотрудники заняты, поэтому я не могу назвать время ожидания: Вам ответит первый освободившийся сотрудник.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Спасибо! Сотрудник, который подключится к чату, увидит и это сообщение. Ваш номер в очереди по-прежнему { $position }.
handoff-assigned = С Вами на связи { $agent } из службы поддержки.
handoff-offline = Сейчас служба поддержки не работает — мы снова будем на связи { $opens_at }. Оставьте здесь свой адрес электронной почты, и мы напишем Вам, как только вернёмся.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Сейчас служба поддержки не работает — мы снова будем на связи { $opens_at }.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = К сожалению, мне не удалось Вам помочь. Передаю Ваш вопрос в службу поддержки.
handoff-returned = Вы снова общаетесь с виртуальным помощником. Чем ещё могу помочь?
handoff-agent-left = К сожалению, { $agent } не может продолжить разговор. Вы сохраняете своё место в очереди, и Вам здесь ответит первый освободившийся сотрудник.
email-saved = Спасибо! Мы напишем Вам на адрес { $email }, как только служба поддержки вернётся к работе.
email-saved-queued = Спасибо! Мы пришлём ответ на адрес { $email }. Если Вы не закроете этот чат, первый освободившийся сотрудник ответит Вам и здесь.
queue-full = К сожалению, сейчас все наши сотрудники заняты, и очередь заполнена. Пожалуйста, попробуйте ещё раз через несколько минут, а пока я могу помочь Вам здесь.
queue-left = Из-за долгого отсутствия активности Ваше место в очереди освободилось. Если Вам всё ещё нужна помощь сотрудника, просто попросите снова.

## End of the conversation

closed-customer = Вы завершили чат. Спасибо за обращение!
closed-agent = { $agent } завершает чат. Спасибо за обращение!
survey-ask = Как бы Вы оценили этот диалог? Выберите оценку от 1 (плохо) до 5 (отлично).
rating-thanks = Спасибо за оценку — она помогает нам становиться лучше.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = в понедельник в { $time }
opens-at-tue = во вторник в { $time }
opens-at-wed = в среду в { $time }
opens-at-thu = в четверг в { $time }
opens-at-fri = в пятницу в { $time }
opens-at-sat = в субботу в { $time }
opens-at-sun = в воскресенье в { $time }
opens-at-today = сегодня в { $time }

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = понедельник
day-tue = вторник
day-wed = среда
day-thu = четверг
day-fri = пятница
day-sat = суббота
day-sun = воскресенье
hours-always = круглосуточно, без выходных

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = Мы не нашли эту статью справочного центра. Возможно, её перенесли или удалили.
