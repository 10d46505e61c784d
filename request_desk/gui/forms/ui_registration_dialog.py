# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'registration_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QFormLayout,
    QFrame, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

from request_desk.gui.widgets.calendar_date import CalendarDateEdit

class Ui_RegistrationDialog(object):
    def setupUi(self, RegistrationDialog):
        if not RegistrationDialog.objectName():
            RegistrationDialog.setObjectName(u"RegistrationDialog")
        RegistrationDialog.resize(980, 640)
        self.root_layout = QVBoxLayout(RegistrationDialog)
        self.root_layout.setObjectName(u"root_layout")
        self.columns = QHBoxLayout()
        self.columns.setObjectName(u"columns")
        self.left_column = QVBoxLayout()
        self.left_column.setObjectName(u"left_column")
        self.applicant_group = QGroupBox(RegistrationDialog)
        self.applicant_group.setObjectName(u"applicant_group")
        self.applicant_form = QFormLayout(self.applicant_group)
        self.applicant_form.setObjectName(u"applicant_form")
        self.applicant_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.applicant_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignTrailing|Qt.AlignmentFlag.AlignVCenter)
        self.applicant_type_label = QLabel(self.applicant_group)
        self.applicant_type_label.setObjectName(u"applicant_type_label")

        self.applicant_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.applicant_type_label)

        self.applicant_type = QComboBox(self.applicant_group)
        self.applicant_type.setObjectName(u"applicant_type")

        self.applicant_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.applicant_type)

        self.applicant_name_label = QLabel(self.applicant_group)
        self.applicant_name_label.setObjectName(u"applicant_name_label")

        self.applicant_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.applicant_name_label)

        self.applicant_name = QLineEdit(self.applicant_group)
        self.applicant_name.setObjectName(u"applicant_name")
        self.applicant_name.setMaxLength(128)

        self.applicant_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.applicant_name)

        self.id_type_label = QLabel(self.applicant_group)
        self.id_type_label.setObjectName(u"id_type_label")

        self.applicant_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.id_type_label)

        self.id_type = QComboBox(self.applicant_group)
        self.id_type.setObjectName(u"id_type")

        self.applicant_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.id_type)

        self.id_number_label = QLabel(self.applicant_group)
        self.id_number_label.setObjectName(u"id_number_label")

        self.applicant_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.id_number_label)

        self.id_number = QLineEdit(self.applicant_group)
        self.id_number.setObjectName(u"id_number")
        self.id_number.setMaxLength(32)

        self.applicant_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.id_number)

        self.credit_code_label = QLabel(self.applicant_group)
        self.credit_code_label.setObjectName(u"credit_code_label")

        self.applicant_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.credit_code_label)

        self.credit_code = QLineEdit(self.applicant_group)
        self.credit_code.setObjectName(u"credit_code")
        self.credit_code.setMaxLength(32)

        self.applicant_form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.credit_code)

        self.contact_person_label = QLabel(self.applicant_group)
        self.contact_person_label.setObjectName(u"contact_person_label")

        self.applicant_form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.contact_person_label)

        self.contact_person = QLineEdit(self.applicant_group)
        self.contact_person.setObjectName(u"contact_person")
        self.contact_person.setMaxLength(64)

        self.applicant_form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.contact_person)


        self.left_column.addWidget(self.applicant_group)

        self.contact_group = QGroupBox(RegistrationDialog)
        self.contact_group.setObjectName(u"contact_group")
        self.contact_form = QFormLayout(self.contact_group)
        self.contact_form.setObjectName(u"contact_form")
        self.contact_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.contact_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignTrailing|Qt.AlignmentFlag.AlignVCenter)
        self.phone_label = QLabel(self.contact_group)
        self.phone_label.setObjectName(u"phone_label")

        self.contact_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.phone_label)

        self.phone = QLineEdit(self.contact_group)
        self.phone.setObjectName(u"phone")
        self.phone.setMaxLength(64)

        self.contact_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.phone)

        self.address_label = QLabel(self.contact_group)
        self.address_label.setObjectName(u"address_label")

        self.contact_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.address_label)

        self.address = QLineEdit(self.contact_group)
        self.address.setObjectName(u"address")
        self.address.setMaxLength(256)

        self.contact_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.address)

        self.postal_code_label = QLabel(self.contact_group)
        self.postal_code_label.setObjectName(u"postal_code_label")

        self.contact_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.postal_code_label)

        self.postal_code = QLineEdit(self.contact_group)
        self.postal_code.setObjectName(u"postal_code")
        self.postal_code.setMaxLength(16)

        self.contact_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.postal_code)

        self.email_label = QLabel(self.contact_group)
        self.email_label.setObjectName(u"email_label")

        self.contact_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.email_label)

        self.email = QLineEdit(self.contact_group)
        self.email.setObjectName(u"email")
        self.email.setMaxLength(128)

        self.contact_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.email)


        self.left_column.addWidget(self.contact_group)

        self.left_column_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.left_column.addItem(self.left_column_spacer)


        self.columns.addLayout(self.left_column)

        self.right_column = QVBoxLayout()
        self.right_column.setObjectName(u"right_column")
        self.channel_group = QGroupBox(RegistrationDialog)
        self.channel_group.setObjectName(u"channel_group")
        self.channel_form = QFormLayout(self.channel_group)
        self.channel_form.setObjectName(u"channel_form")
        self.channel_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.channel_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignTrailing|Qt.AlignmentFlag.AlignVCenter)
        self.channel_label = QLabel(self.channel_group)
        self.channel_label.setObjectName(u"channel_label")

        self.channel_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.channel_label)

        self.channel = QComboBox(self.channel_group)
        self.channel.setObjectName(u"channel")

        self.channel_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.channel)

        self.channel_hint = QLabel(self.channel_group)
        self.channel_hint.setObjectName(u"channel_hint")
        self.channel_hint.setWordWrap(True)

        self.channel_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.channel_hint)

        self.received_date_label = QLabel(self.channel_group)
        self.received_date_label.setObjectName(u"received_date_label")

        self.channel_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.received_date_label)

        self.received_date = CalendarDateEdit(self.channel_group)
        self.received_date.setObjectName(u"received_date")
        self.received_date.setCalendarPopup(True)

        self.channel_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.received_date)

        self.received_lead = QLabel(self.channel_group)
        self.received_lead.setObjectName(u"received_lead")
        self.received_lead.setWordWrap(True)

        self.channel_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.received_lead)


        self.right_column.addWidget(self.channel_group)

        self.sought_group = QGroupBox(RegistrationDialog)
        self.sought_group.setObjectName(u"sought_group")
        self.sought_form = QFormLayout(self.sought_group)
        self.sought_form.setObjectName(u"sought_form")
        self.sought_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sought_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignTrailing|Qt.AlignmentFlag.AlignVCenter)
        self.description_label = QLabel(self.sought_group)
        self.description_label.setObjectName(u"description_label")

        self.sought_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.description_label)

        self.description = QPlainTextEdit(self.sought_group)
        self.description.setObjectName(u"description")
        self.description.setTabChangesFocus(True)

        self.sought_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.description)

        self.purpose_label = QLabel(self.sought_group)
        self.purpose_label.setObjectName(u"purpose_label")

        self.sought_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.purpose_label)

        self.purpose = QLineEdit(self.sought_group)
        self.purpose.setObjectName(u"purpose")

        self.sought_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.purpose)

        self.preferred_form_label = QLabel(self.sought_group)
        self.preferred_form_label.setObjectName(u"preferred_form_label")

        self.sought_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.preferred_form_label)

        self.preferred_form = QComboBox(self.sought_group)
        self.preferred_form.setObjectName(u"preferred_form")

        self.sought_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.preferred_form)

        self.delivery_method_label = QLabel(self.sought_group)
        self.delivery_method_label.setObjectName(u"delivery_method_label")

        self.sought_form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.delivery_method_label)

        self.delivery_method = QComboBox(self.sought_group)
        self.delivery_method.setObjectName(u"delivery_method")

        self.sought_form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.delivery_method)

        self.note_label = QLabel(self.sought_group)
        self.note_label.setObjectName(u"note_label")

        self.sought_form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.note_label)

        self.note = QLineEdit(self.sought_group)
        self.note.setObjectName(u"note")

        self.sought_form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.note)


        self.right_column.addWidget(self.sought_group)


        self.columns.addLayout(self.right_column)


        self.root_layout.addLayout(self.columns)

        self.message_label = QLabel(RegistrationDialog)
        self.message_label.setObjectName(u"message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)

        self.root_layout.addWidget(self.message_label)

        self.result_frame = QFrame(RegistrationDialog)
        self.result_frame.setObjectName(u"result_frame")
        self.result_frame.setVisible(False)
        self.result_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.result_layout = QHBoxLayout(self.result_frame)
        self.result_layout.setObjectName(u"result_layout")
        self.result_label = QLabel(self.result_frame)
        self.result_label.setObjectName(u"result_label")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.result_layout.addWidget(self.result_label)

        self.print_receipt_button = QPushButton(self.result_frame)
        self.print_receipt_button.setObjectName(u"print_receipt_button")

        self.result_layout.addWidget(self.print_receipt_button)


        self.root_layout.addWidget(self.result_frame)

        self.button_row = QHBoxLayout()
        self.button_row.setObjectName(u"button_row")
        self.button_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.button_row.addItem(self.button_spacer)

        self.next_button = QPushButton(RegistrationDialog)
        self.next_button.setObjectName(u"next_button")
        self.next_button.setVisible(False)

        self.button_row.addWidget(self.next_button)

        self.save_button = QPushButton(RegistrationDialog)
        self.save_button.setObjectName(u"save_button")

        self.button_row.addWidget(self.save_button)

        self.close_button = QPushButton(RegistrationDialog)
        self.close_button.setObjectName(u"close_button")

        self.button_row.addWidget(self.close_button)


        self.root_layout.addLayout(self.button_row)

#if QT_CONFIG(shortcut)
        self.applicant_type_label.setBuddy(self.applicant_type)
        self.applicant_name_label.setBuddy(self.applicant_name)
        self.id_type_label.setBuddy(self.id_type)
        self.id_number_label.setBuddy(self.id_number)
        self.credit_code_label.setBuddy(self.credit_code)
        self.contact_person_label.setBuddy(self.contact_person)
        self.phone_label.setBuddy(self.phone)
        self.address_label.setBuddy(self.address)
        self.postal_code_label.setBuddy(self.postal_code)
        self.email_label.setBuddy(self.email)
        self.channel_label.setBuddy(self.channel)
        self.received_date_label.setBuddy(self.received_date)
        self.description_label.setBuddy(self.description)
        self.purpose_label.setBuddy(self.purpose)
        self.preferred_form_label.setBuddy(self.preferred_form)
        self.delivery_method_label.setBuddy(self.delivery_method)
        self.note_label.setBuddy(self.note)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.channel, self.received_date)
        QWidget.setTabOrder(self.received_date, self.applicant_type)
        QWidget.setTabOrder(self.applicant_type, self.applicant_name)
        QWidget.setTabOrder(self.applicant_name, self.id_type)
        QWidget.setTabOrder(self.id_type, self.id_number)
        QWidget.setTabOrder(self.id_number, self.credit_code)
        QWidget.setTabOrder(self.credit_code, self.contact_person)
        QWidget.setTabOrder(self.contact_person, self.phone)
        QWidget.setTabOrder(self.phone, self.address)
        QWidget.setTabOrder(self.address, self.postal_code)
        QWidget.setTabOrder(self.postal_code, self.email)
        QWidget.setTabOrder(self.email, self.description)
        QWidget.setTabOrder(self.description, self.purpose)
        QWidget.setTabOrder(self.purpose, self.preferred_form)
        QWidget.setTabOrder(self.preferred_form, self.delivery_method)
        QWidget.setTabOrder(self.delivery_method, self.note)
        QWidget.setTabOrder(self.note, self.save_button)
        QWidget.setTabOrder(self.save_button, self.close_button)

        self.retranslateUi(RegistrationDialog)

        self.save_button.setDefault(True)


        QMetaObject.connectSlotsByName(RegistrationDialog)
    # setupUi

    def retranslateUi(self, RegistrationDialog):
        RegistrationDialog.setWindowTitle(QCoreApplication.translate("RegistrationDialog", u"\u767b\u8bb0\u65b0\u7533\u8bf7", None))
        self.applicant_group.setTitle(QCoreApplication.translate("RegistrationDialog", u"\u7533\u8bf7\u4eba\u4fe1\u606f", None))
        self.applicant_type_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u7533\u8bf7\u4eba\u7c7b\u578b", None))
        self.applicant_name_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u7533\u8bf7\u4eba\u59d3\u540d", None))
        self.id_type_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u8bc1\u4ef6\u7c7b\u578b", None))
        self.id_number_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u8bc1\u4ef6\u53f7\u7801", None))
        self.id_number.setPlaceholderText(QCoreApplication.translate("RegistrationDialog", u"18\u4f4d\u516c\u6c11\u8eab\u4efd\u53f7\u7801", None))
        self.credit_code_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u7edf\u4e00\u793e\u4f1a\u4fe1\u7528\u4ee3\u7801", None))
        self.credit_code.setPlaceholderText(QCoreApplication.translate("RegistrationDialog", u"18\u4f4d\uff0c\u89c1\u8425\u4e1a\u6267\u7167\u6216\u767b\u8bb0\u8bc1\u4e66", None))
        self.contact_person_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u8054\u7cfb\u4eba", None))
        self.contact_group.setTitle(QCoreApplication.translate("RegistrationDialog", u"\u8054\u7cfb\u65b9\u5f0f", None))
        self.phone_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u8054\u7cfb\u7535\u8bdd", None))
        self.phone.setPlaceholderText(QCoreApplication.translate("RegistrationDialog", u"\u624b\u673a\u6216\u56fa\u5b9a\u7535\u8bdd\uff0c\u591a\u4e2a\u53f7\u7801\u7528\u201c\u3001\u201d\u5206\u9694", None))
        self.address_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u901a\u4fe1\u5730\u5740", None))
        self.postal_code_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u90ae\u653f\u7f16\u7801", None))
        self.email_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u7535\u5b50\u90ae\u7bb1", None))
        self.channel_group.setTitle(QCoreApplication.translate("RegistrationDialog", u"\u7533\u8bf7\u65b9\u5f0f\u4e0e\u6536\u5230\u65e5\u671f", None))
        self.channel_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u7533\u8bf7\u65b9\u5f0f", None))
        self.received_date_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u6536\u5230\u7533\u8bf7\u65e5\u671f", None))
        self.received_date.setDisplayFormat(QCoreApplication.translate("RegistrationDialog", u"yyyy-MM-dd", None))
        self.sought_group.setTitle(QCoreApplication.translate("RegistrationDialog", u"\u7533\u8bf7\u5185\u5bb9", None))
        self.description_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u6240\u9700\u4fe1\u606f\u63cf\u8ff0", None))
        self.description.setPlaceholderText(QCoreApplication.translate("RegistrationDialog", u"\u653f\u5e9c\u4fe1\u606f\u7684\u540d\u79f0\u3001\u6587\u53f7\u6216\u8005\u4fbf\u4e8e\u67e5\u8be2\u7684\u5176\u4ed6\u7279\u5f81\u6027\u63cf\u8ff0", None))
        self.purpose_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u7528\u9014\uff08\u9009\u586b\uff09", None))
        self.preferred_form_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u63d0\u4f9b\u5f62\u5f0f", None))
        self.delivery_method_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u83b7\u53d6\u65b9\u5f0f", None))
        self.note_label.setText(QCoreApplication.translate("RegistrationDialog", u"\u5907\u6ce8", None))
#if QT_CONFIG(tooltip)
        self.print_receipt_button.setToolTip(QCoreApplication.translate("RegistrationDialog", u"\u5236\u4f5c\u653f\u5e9c\u4fe1\u606f\u516c\u5f00\u7533\u8bf7\u63a5\u6536\u56de\u6267\uff1a\u9884\u89c8\u3001\u7b7e\u53d1\uff08\u53d6\u6587\u53f7\u5e76\u5b58\u6863\uff09\u3001\u6253\u5370", None))
#endif // QT_CONFIG(tooltip)
        self.print_receipt_button.setText(QCoreApplication.translate("RegistrationDialog", u"\u6253\u5370\u767b\u8bb0\u56de\u6267", None))
        self.next_button.setText(QCoreApplication.translate("RegistrationDialog", u"\u7ee7\u7eed\u767b\u8bb0\u4e0b\u4e00\u4ef6", None))
        self.save_button.setText(QCoreApplication.translate("RegistrationDialog", u"\u767b\u8bb0(&S)", None))
        self.close_button.setText(QCoreApplication.translate("RegistrationDialog", u"\u53d6\u6d88", None))
    # retranslateUi

