import { AimOutlined, CloseOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

/** Where the citizen stood when they wrote: a point, and how sure the phone was about it. */
export interface LocationPinValue {
  lat: number;
  lng: number;
  accuracyMeters?: number;
}

type Trouble = 'denied' | 'unavailable' | 'unsupported';

/** Six decimals is about 10 cm: more would only pretend to a precision no phone has. */
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * An optional location pin for the message form, taken from the phone's own
 * position (no map tiles: the city's network may be closed, and a citizen on
 * the spot is the common case). A form control: `value` / `onChange`.
 */
export function LocationPin({ value, onChange, id }: { value?: LocationPinValue; onChange?: (next: LocationPinValue | undefined) => void; id?: string }) {
  const { t } = useI18n();
  const [locating, setLocating] = useState(false);
  const [trouble, setTrouble] = useState<Trouble>();

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setTrouble('unsupported');
      return;
    }
    setLocating(true);
    setTrouble(undefined);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        onChange?.({
          lat: round6(position.coords.latitude),
          lng: round6(position.coords.longitude),
          accuracyMeters: Number.isFinite(position.coords.accuracy) ? Math.round(position.coords.accuracy) : undefined,
        });
      },
      (failure) => {
        setLocating(false);
        setTrouble(failure.code === failure.PERMISSION_DENIED ? 'denied' : 'unavailable');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  return (
    <Flex vertical gap={4} id={id}>
      {value ? (
        <Flex align="center" gap={8} wrap>
          <EnvironmentOutlined aria-hidden />
          <Typography.Text data-testid="location-pin-value">
            {value.accuracyMeters === undefined
              ? t('voices.pin.at', { lat: value.lat.toFixed(5), lng: value.lng.toFixed(5) })
              : t('voices.pin.atWithin', { lat: value.lat.toFixed(5), lng: value.lng.toFixed(5), meters: value.accuracyMeters })}
          </Typography.Text>
          <Button size="small" icon={<CloseOutlined />} onClick={() => onChange?.(undefined)}>
            {t('voices.pin.clear')}
          </Button>
        </Flex>
      ) : (
        <Button icon={<AimOutlined />} loading={locating} onClick={locate} style={{ alignSelf: 'flex-start' }}>
          {t('voices.pin.locate')}
        </Button>
      )}
      {trouble && <Typography.Text type="warning">{t(`voices.pin.${trouble}`)}</Typography.Text>}
      <Typography.Text type="secondary">{t('voices.pin.hint')}</Typography.Text>
    </Flex>
  );
}
